import Foundation
import StrataCore
import StrataSQL
import StrataSQLite
import Testing

/// The SQLite driver's own behaviour: kept prepared statements, values, errors, WAL readers.
@Suite("SQLite driver")
struct SQLiteDriverTests {
    /// A file database (readers only exist for files) in a folder of its own.
    func fileClient(readers: Int = 2) async throws -> (DatabaseClient, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-sqlite-\(UUID().uuidString)").path
        let driver = try await SQLiteDriver.open(SQLiteConfiguration(storage: .file(folder + "/data.db"), readerCount: readers))
        return (DatabaseClient(driver: driver), folder)
    }

    @Test("values round-trip: empty text is not NULL, text with NUL bytes and non-ASCII keeps every byte, blobs, JSON, timestamps")
    func values() async throws {
        let client = DatabaseClient(driver: try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory)))
        try await client.raw(#"CREATE TABLE "v" ("s" TEXT, "b" BLOB, "i" INTEGER, "d" REAL, "j" TEXT, "t" INTEGER, "f" INTEGER)"#, access: .write)
        let at = Timestamp(iso8601: "1999-12-31T23:59:58.123Z")!
        let cases: [(String, [UInt8])] = [("", []), ("a\u{0}b", [0, 1, 2]), ("héllo ✓ 'quoted'", Array(repeating: 255, count: 70_000))]
        for (text, blob) in cases {
            try await client.raw(#"DELETE FROM "v""#, access: .write)
            try await client.raw(#"INSERT INTO "v" VALUES ($1, $2, $3, $4, $5, $6, $7)"#, [
                .text(text), .blob(blob), .int(-9_007_199_254_740_993), .double(0.1), .json(["k": [1, "x"]]), .timestamp(at), .bool(true),
            ], access: .write)
            let row = try #require(try await client.raw(#"SELECT "s", "b", "i", "d", "j", "t", "f", length(CAST("s" AS BLOB)) AS "n", "s" IS NULL AS "isNull" FROM "v""#).first)
            #expect(row["s"] == .text(text))
            #expect(row["isNull"] == .int(0))
            #expect(row["n"] == .int(Int64(text.utf8.count)), "SQLite stored every byte")
            #expect(row["b"] == .blob(blob))
            #expect(row["i"] == .int(-9_007_199_254_740_993))
            #expect(row["d"] == .double(0.1))
            #expect(row["j"] == .text(#"{"k":[1,"x"]}"#))
            #expect(row["t"] == .int(at.millisecondsSince1970))
            #expect(row["f"] == .int(1))
        }
        try await client.shutdown()
    }

    @Test("a kept statement follows schema changes: new columns appear, dropped tables are an error")
    func keptStatementsFollowTheSchema() async throws {
        let client = DatabaseClient(driver: try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory)))
        try await client.raw(#"CREATE TABLE "t" ("a" INTEGER)"#, access: .write)
        try await client.raw(#"INSERT INTO "t" VALUES (1)"#, access: .write)
        let select = #"SELECT * FROM "t""#
        #expect(try await client.raw(select).first?.columns.names == ["a"])
        try await client.raw(#"ALTER TABLE "t" ADD COLUMN "b" TEXT DEFAULT 'x'"#, access: .write)
        let row = try #require(try await client.raw(select).first)
        #expect(row.columns.names == ["a", "b"])
        #expect(row["b"] == .text("x"))
        #expect(try await client.raw("  -- only a comment").isEmpty, "a statement of whitespace and comments runs nothing")
        try await client.raw(#"DROP TABLE "t""#, access: .write)
        await #expect(throws: DatabaseError.self) { try await client.raw(select) }
        try await client.shutdown()
    }

    @Test("more distinct statements than the cache holds all run, and a failed statement leaves its connection usable")
    func cacheEvictionAndFailures() async throws {
        let client = DatabaseClient(driver: try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory)))
        try await client.raw(#"CREATE TABLE "u" ("id" INTEGER PRIMARY KEY, "slug" TEXT UNIQUE NOT NULL)"#, access: .write)
        for index in 0..<200 {
            try await client.raw(#"INSERT INTO "u" ("slug") VALUES ($1) -- statement \#(index)"#, [.text("s\(index)")], access: .write)
            #expect(try await client.raw(#"SELECT count(*) AS "n" FROM "u" -- \#(index)"#).first?["n"] == .int(Int64(index + 1)))
        }
        let insert = #"INSERT INTO "u" ("slug") VALUES ($1)"#
        do {
            try await client.raw(insert, [.text("s1")], access: .write)
            Issue.record("a duplicate slug was inserted")
        } catch let error as DatabaseError {
            #expect(error.kind == .unique)
            #expect(error.table == "u")
            #expect(error.columns == ["slug"])
        }
        do {
            try await client.raw(insert, [.null], access: .write)
            Issue.record("a NULL slug was inserted")
        } catch let error as DatabaseError {
            #expect(error.kind == .notNull)
        }
        // The same kept statement works after its failures.
        try await client.raw(insert, [.text("fresh")], access: .write)
        #expect(try await client.raw(#"SELECT count(*) AS "n" FROM "u""#).first?["n"] == .int(201))
        try await client.shutdown()
    }

    @Test("a reader's kept statement holds no snapshot: the next read sees what the writer committed")
    func readersSeeCommits() async throws {
        let (client, folder) = try await fileClient()
        try await client.raw(#"CREATE TABLE "c" ("n" INTEGER)"#, access: .write)
        let count = #"SELECT count(*) AS "n" FROM "c""#
        for expected in 0..<5 {
            // Several reads so every reader connection has the statement kept.
            for _ in 0..<4 { #expect(try await client.raw(count).first?["n"] == .int(Int64(expected))) }
            try await client.raw(#"INSERT INTO "c" VALUES (1)"#, access: .write)
        }
        // Concurrent readers on the pool get consistent answers.
        try await withThrowingTaskGroup(of: DatabaseValue?.self) { group in
            for _ in 0..<32 { group.addTask { try await client.raw(count).first?["n"] } }
            for try await value in group { #expect(value == .int(5)) }
        }
        try await client.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("a kept statement is prepared once, whatever values are bound (partial index, LIMIT ?)")
    func statementsArePreparedOnce() async throws {
        let driver = try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory))
        let client = DatabaseClient(driver: driver)
        try await client.raw(#"CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "document_id" TEXT, "published_at" INTEGER)"#, access: .write)
        try await client.raw(#"CREATE INDEX "a_published" ON "a" ("document_id") WHERE "published_at" IS NOT NULL"#, access: .write)
        for index in 0..<20 {
            try await client.raw(#"INSERT INTO "a" ("document_id", "published_at") VALUES ($1, $2)"#, [.text("d\(index % 5)"), index % 2 == 0 ? .int(1) : .null], access: .write)
        }
        let before = await driver.statementCounts()
        let select = #"SELECT "id" FROM "a" WHERE "published_at" IS NOT NULL AND "document_id" = $1 ORDER BY "id" LIMIT $2"#
        for index in 0..<50 {
            let rows = try await client.raw(select, [.text("d\(index % 5)"), .int(Int64(1 + index % 3))])
            #expect(rows.count == min(2, 1 + index % 3), "every document has two published rows")
        }
        let after = await driver.statementCounts()
        #expect(after.prepared - before.prepared == 1)
        #expect(after.reprepared - before.reprepared == 0)
        try await client.shutdown()
    }

    @Test("the client's activity counts statements, held connections and open transactions, and returns to idle")
    func activity() async throws {
        let client = DatabaseClient(driver: try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory)))
        try await client.raw(#"CREATE TABLE "t" ("a" INTEGER)"#, access: .write)
        #expect(client.activity.value.statements == 1)
        let inside = try await client.transaction {
            try await client.raw(#"INSERT INTO "t" VALUES (1)"#, access: .write)
            return client.activity.value
        }
        #expect(inside.transactions == 1)
        #expect(inside.connections == 1, "the transaction holds its connection")
        #expect(inside.statements == 2, "CREATE and INSERT; BEGIN and COMMIT are the client's own: \(inside)")
        var idle = DatabaseActivity()
        idle.statements = client.activity.value.statements
        #expect(client.activity.value == idle, "nothing running, held or open afterwards")
        await #expect(throws: DatabaseError.self) { try await client.raw(#"SELECT * FROM "missing""#) }
        #expect(client.activity.value.running == 0, "a failed statement is no longer running")
        #expect(client.activity.value.connections == 0)
        try await client.shutdown()
    }
}
