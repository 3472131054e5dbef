import Logging

extension DatabaseClient {
    /// Brings the planner's statistics of `tables` up to date (see
    /// ``DatabaseDialect/refreshStatisticsStatements(afterBulkWrite:tables:)``).
    ///
    /// After a bulk write, a database with a visibility map (Postgres) is checked: `VACUUM` cannot
    /// mark pages all-visible while an older transaction is still running (an autovacuum
    /// `ANALYZE` that started with the import's commit, another instance's request), and nothing
    /// would vacuum those tables again until they grow by a fifth, leaving every list's
    /// `COUNT(*)` reading each heap row. Tables left behind are vacuumed again a few times, a
    /// little later each time.
    public func refreshStatistics(afterBulkWrite: Bool, tables: [String]) async throws {
        for statement in dialect.refreshStatisticsStatements(afterBulkWrite: afterBulkWrite, tables: tables) {
            _ = try await raw(statement, access: .write)
        }
        guard afterBulkWrite, let query = dialect.notAllVisibleTablesQuery else { return }
        let wanted = Set(tables)
        for attempt in 1...6 {
            let lagging = try await raw(query, access: .write).compactMap { row -> String? in
                guard case .text(let name) = row["relname"], wanted.contains(name) else { return nil }
                return name
            }.sorted()
            if lagging.isEmpty { return }
            if attempt == 6 {
                logger.notice("tables not fully vacuumed after the import (autovacuum will get to them): \(lagging.joined(separator: ", "))")
                return
            }
            try await Task.sleep(for: .milliseconds(250 * attempt))
            for statement in dialect.refreshStatisticsStatements(afterBulkWrite: true, tables: lagging) {
                _ = try await raw(statement, access: .write)
            }
        }
    }
}
