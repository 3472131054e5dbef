import SQLKit
import StrataCore
import StrataSQL

/// Buffers an import's rows and writes them as multi-row `INSERT`s with ids chosen up front, so a
/// restore costs a few statements per thousand rows instead of one per row.
///
/// Ids continue above the highest id the database ever issued for the table (its auto-increment
/// high-water mark), so ids of deleted rows — which old tokens may still name — are never reused.
final class BatchInserter {
    /// Model tables (rows other rows point at) are flushed before link tables.
    enum Tier: Int, Comparable {
        case rows = 0
        case links = 1
        static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private struct Batch {
        let table: String
        let tier: Tier
        let columns: [String]
        var rows: [[DatabaseValue]] = []
    }

    private let client: DatabaseClient
    private var nextIDs: [String: Int64] = [:]
    private var highest: [String: Int64] = [:]
    private var batches: [String: Batch] = [:]
    private var order: [String] = []
    private var buffered = 0
    private let maxBufferedRows = 5_000

    init(client: DatabaseClient) {
        self.client = client
    }

    /// The id the next row of `table` gets.
    func allocateID(_ table: String) async throws -> Int64 {
        if nextIDs[table] == nil {
            var start: Int64 = 0
            if let issued = try await client.query(client.dialect.lastIssuedIDQuery(table: table)).first?[0].int64 { start = issued }
            if let existing = try await client.query(SQLQueryString("SELECT MAX(\(ident: "id")) FROM \(ident: table)")).first?[0].int64 {
                start = max(start, existing)
            }
            nextIDs[table] = start + 1
        }
        let id = nextIDs[table]!
        nextIDs[table] = id + 1
        highest[table] = id
        return id
    }

    /// Queues one row; `columns` and `values` correspond.
    func insert(into table: String, tier: Tier, columns: [String], values: [DatabaseValue]) async throws {
        let key = "\(table)|\(columns.joined(separator: ","))"
        if batches[key] == nil {
            batches[key] = Batch(table: table, tier: tier, columns: columns)
            order.append(key)
        }
        batches[key]!.rows.append(values)
        buffered += 1
        let perStatement = max(1, min(500, client.dialect.maxBindParameters / max(1, columns.count)))
        if batches[key]!.rows.count >= perStatement {
            // Rows never depend on buffered links; links need every buffered row written first.
            if tier == .rows { try await flush(key) } else { try await flushAll() }
        } else if buffered >= maxBufferedRows {
            try await flushAll()
        }
    }

    /// Writes everything buffered: rows first, then links (which reference them).
    func flushAll() async throws {
        for tier in [Tier.rows, .links] {
            for key in order where batches[key]?.tier == tier { try await flush(key) }
        }
        buffered = 0
    }

    /// Lets the database's own sequences continue above the ids this import chose.
    func finish() async throws {
        try await flushAll()
        for (table, id) in highest {
            if let statement = client.dialect.advanceIDSequence(table: table, to: id) { try await client.write(statement) }
        }
    }

    private func flush(_ key: String) async throws {
        guard var batch = batches[key], !batch.rows.isEmpty else { return }
        let perStatement = max(1, min(500, client.dialect.maxBindParameters / max(1, batch.columns.count)))
        var start = 0
        while start < batch.rows.count {
            let end = min(batch.rows.count, start + perStatement)
            var insert = SQLInsert(table: SQLIdentifier(batch.table))
            insert.columns = batch.columns.map { SQLIdentifier($0) }
            insert.values = batch.rows[start..<end].map { $0.map { SQLBind($0) } }
            try await client.write(insert)
            start = end
        }
        buffered -= batch.rows.count
        batch.rows.removeAll(keepingCapacity: true)
        batches[key] = batch
    }
}
