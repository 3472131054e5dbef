import Foundation
import StrataCore
import StrataPostgres
import SQLKit
import StrataSQL
import StrataTestDatabase
import StrataTesting
import Testing

/// What only the Postgres driver does; everything else runs in the shared suites on both backends.
@Suite("PostgreSQL driver", .enabled(if: TestDatabase.isPostgres, "needs STRATA_TEST_POSTGRES_URL (scripts/test.sh starts a server)"))
struct PostgresDriverTests {
    func client() async throws -> DatabaseClient {
        DatabaseClient(driver: try await TestDatabase.driver())
    }

    @Test("an unreachable server, a missing database or an unknown role is one clear error")
    func connectionErrors() async throws {
        var base = try #require(TestDatabase.postgresConfiguration())
        base.connectTimeoutSeconds = 2
        var refused = base
        refused.port = 1
        var missing = base
        missing.database = "no_such_database"
        var role = base
        role.username = "no_such_role"
        // The test server speaks plain TCP only.
        var tls = base
        tls.tls = .require(verify: false)
        for (configuration, reason) in [
            (refused, "connection refused"), (missing, "database \"no_such_database\" does not exist"),
            (role, "role \"no_such_role\" does not exist"), (tls, "the server does not support TLS"),
        ] {
            do {
                _ = try await PostgresDriver.open(configuration)
                Issue.record("\(configuration.displayName) connected")
            } catch let error as DatabaseError {
                #expect(error.kind == .connection)
                #expect(error.message.hasPrefix("cannot connect to PostgreSQL at \(configuration.displayName) as \(configuration.username): "))
                #expect(error.message.contains(reason), "\(error.message)")
                #expect(!error.message.contains("\n"))
            }
        }
    }

    @Test("values round-trip through Strapi's Postgres column types")
    func values() async throws {
        let client = try await client()
        try await client.raw("""
            CREATE TABLE "v" ("id" serial PRIMARY KEY, "s" character varying(255), "j" jsonb, "i" integer, "b" bigint, "d" double precision,
            "n" numeric(10,2), "f" boolean, "day" date, "t" time(3) without time zone, "at" timestamp(6) without time zone)
            """, access: .write)
        let at = Timestamp(iso8601: "1999-12-31T23:59:58.123Z")!
        try await client.raw(#"INSERT INTO "v" ("s", "j", "i", "b", "d", "n", "f", "day", "t", "at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#, [
            .text("héllo 'quoted'"), .json(["a": [1, 2.5, "x"], "b": .null]), .int(-42), .int(9_007_199_254_740_993), .double(0.1),
            .double(10.99), .bool(true), .text("2024-02-29"), .text("13:45:07.250"), .timestamp(at),
        ], access: .write)
        let row = try #require(try await client.raw(#"SELECT "s", "j", "i", "b", "d", "n", "f", "day", "t", "at" FROM "v""#).first)
        #expect(row["s"] == .text("héllo 'quoted'"))
        #expect(row["j"] == .json(["a": [1, 2.5, "x"], "b": .null]))
        #expect(row["i"] == .int(-42))
        #expect(row["b"] == .int(9_007_199_254_740_993))
        #expect(row["d"] == .double(0.1))
        #expect(row["n"] == .double(10.99))
        #expect(row["f"] == .bool(true))
        #expect(row["day"] == .text("2024-02-29"))
        #expect(row["t"] == .text("13:45:07.250"))
        #expect(row["at"] == .timestamp(at))
        try await client.shutdown()
    }

    @Test("constraint violations are typed, with the failing columns")
    func constraints() async throws {
        let client = try await client()
        try await client.raw(#"CREATE TABLE "u" ("id" serial PRIMARY KEY, "slug" character varying(255) NOT NULL, "locale" character varying(255))"#, access: .write)
        try await client.raw(#"CREATE UNIQUE INDEX "u_slug_uq" ON "u" ("slug", "locale")"#, access: .write)
        try await client.raw(#"INSERT INTO "u" ("slug", "locale") VALUES ($1, $2)"#, [.text("a"), .text("en")], access: .write)
        await #expect(throws: DatabaseError(.unique, #"duplicate key value violates unique constraint "u_slug_uq""#, table: "u", columns: ["slug", "locale"])) {
            try await client.raw(#"INSERT INTO "u" ("slug", "locale") VALUES ($1, $2)"#, [.text("a"), .text("en")], access: .write)
        }
        do {
            try await client.raw(#"INSERT INTO "u" ("locale") VALUES ($1)"#, [.text("en")], access: .write)
            Issue.record("NULL accepted")
        } catch let error as DatabaseError {
            #expect(error.kind == .notNull)
            #expect(error.columns == ["slug"])
        }
        try await client.shutdown()
    }

    @Test("a statement over the bind-parameter limit is refused with a clear error before it reaches the server")
    func bindLimit() async throws {
        let client = try await client()
        try await client.raw(#"CREATE TABLE "w" ("id" serial PRIMARY KEY)"#, access: .write)
        let values = (0..<70_000).map { SQLBind(DatabaseValue.int(Int64($0))) as any SQLExpression }
        do {
            try await client.query(SQLQueryString("SELECT 1 FROM \(ident: "w") WHERE \(ident: "id") IN \(SQLGroupExpression(values))"))
            Issue.record("70 000 parameters accepted")
        } catch let error as DatabaseError {
            #expect(error.kind == .tooManyBinds)
            #expect(error.message == "statement needs 70000 parameters; postgresql allows 65535")
        }
        // The largest allowed statement runs.
        let allowed = Array(values.prefix(65_535))
        #expect(try await client.query(SQLQueryString("SELECT 1 FROM \(ident: "w") WHERE \(ident: "id") IN \(SQLGroupExpression(allowed))")).isEmpty)
        try await client.shutdown()
    }

    @Test("a deadlock aborts one transaction, which is retried and commits")
    func deadlockRetried() async throws {
        let client = try await client()
        try await client.raw(#"CREATE TABLE "a" ("id" integer PRIMARY KEY, "n" integer)"#, access: .write)
        try await client.raw(#"INSERT INTO "a" VALUES (1, 0), (2, 0)"#, access: .write)
        let attempts = LockedValue(0)
        // Two transactions take the two rows in opposite orders; both hold one lock before asking for the other.
        let gate = LockedValue(0)
        func transfer(_ first: Int64, _ second: Int64) async throws {
            try await client.transaction {
                attempts.withLock { $0 += 1 }
                try await client.raw(#"UPDATE "a" SET "n" = "n" + 1 WHERE "id" = $1"#, [.int(first)], access: .write)
                gate.withLock { $0 += 1 }
                for _ in 0..<200 where gate.value < 2 { try await Task.sleep(for: .milliseconds(5)) }
                try await client.raw(#"UPDATE "a" SET "n" = "n" + 1 WHERE "id" = $1"#, [.int(second)], access: .write)
            }
        }
        async let one: Void = transfer(1, 2)
        async let two: Void = transfer(2, 1)
        try await one
        try await two
        let rows = try await client.raw(#"SELECT "n" FROM "a" ORDER BY "id""#)
        #expect(rows.map { $0["n"] } == [.int(2), .int(2)], "both transactions committed exactly once")
        #expect(attempts.value == 3, "the deadlock victim ran again")
        try await client.shutdown()
    }

    @Test("a query that finds the pool full fails after acquireConnectionTimeout; transactions holding the pool are not cut off")
    func acquireTimeout() async throws {
        var configuration = try #require(TestDatabase.postgresConfiguration())
        var setupConfiguration = configuration
        setupConfiguration.applicationName += "-setup"
        let setup = DatabaseClient(driver: try await PostgresDriver.open(setupConfiguration))
        try await setup.raw(#"CREATE TABLE "a" ("id" integer PRIMARY KEY)"#, access: .write)
        try await setup.shutdown()
        // Both connections are opened up front: the timed waits below are for a busy pool only,
        // not for a server slowed down by the rest of the parallel suite.
        configuration.maximumConnections = 2
        configuration.minimumConnections = 2
        configuration.acquireTimeoutMilliseconds = 300
        let client = DatabaseClient(driver: try await PostgresDriver.open(configuration))
        let pool = configuration
        await waitUntil { await PostgresDriver.activity(pool).filter { $0.hasPrefix("session ") }.count == 2 }
        let holding = LockedValue(0)
        let release = LockedValue(false)
        func hold(_ id: Int64) async throws {
            try await client.transaction {
                try await client.raw(#"INSERT INTO "a" VALUES ($1)"#, [.int(id)], access: .write)
                holding.withLock { $0 += 1 }
                await waitUntil { release.value }
            }
        }
        async let first: Void = hold(1)
        async let second: Void = hold(2)
        await waitUntil { holding.value == 2 }
        let started = ContinuousClock.now
        do {
            try await client.raw(#"SELECT 1"#)
            Issue.record("a third connection was leased from a pool of two")
        } catch let error as DatabaseError {
            #expect(error.kind == .connection)
            #expect(error.message.hasPrefix("Timeout acquiring a connection"), "\(error.message)")
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        release.withLock { $0 = true }
        try await first
        try await second
        #expect(try await client.raw(#"SELECT count(*)::int AS n FROM "a""#).first?["n"] == .int(2), "both transactions, older than the timeout, committed")
        try await client.shutdown()
    }

    @Test("activity lists the instance's sessions by application name, with the lock a blocked one waits on and who holds it")
    func activityShowsBlockedSessions() async throws {
        let configuration = try #require(TestDatabase.postgresConfiguration())
        let holder = DatabaseClient(driver: try await PostgresDriver.open(configuration))
        let waiter = DatabaseClient(driver: try await PostgresDriver.open(configuration))
        try await holder.raw(#"CREATE TABLE "a" ("id" integer PRIMARY KEY, "n" integer)"#, access: .write)
        try await holder.raw(#"INSERT INTO "a" VALUES (1, 0)"#, access: .write)
        let locked = LockedValue(false)
        let release = LockedValue(false)
        let seen = LockedValue<[String]>([])
        async let holding: Void = holder.transaction {
            try await holder.raw(#"UPDATE "a" SET "n" = 1 WHERE "id" = 1"#, access: .write)
            locked.withLock { $0 = true }
            await waitUntil { release.value }
        }
        await waitUntil { locked.value }
        async let waiting = waiter.raw(#"UPDATE "a" SET "n" = 2 WHERE "id" = 1"#, access: .write)
        await waitUntil {
            let lines = await PostgresDriver.activity(configuration)
            seen.withLock { $0 = lines }
            return lines.contains { $0.contains("waiting on Lock:") }
        }
        #expect(waiter.activity.value.running == 1, "the blocked UPDATE is still running")
        #expect(holder.activity.value.transactions == 1)
        release.withLock { $0 = true }
        try await holding
        _ = try await waiting
        let lines = seen.value
        let blocked = try #require(lines.first { $0.contains("waiting on Lock:") }, "\(lines)")
        #expect(blocked.contains("last statement: UPDATE \"a\" SET \"n\" = 2"), "\(blocked)")
        #expect(blocked.contains("(\(configuration.applicationName), idle in transaction: UPDATE \"a\" SET \"n\" = 1"), "the holder is named: \(blocked)")
        #expect(lines.contains { $0.contains("idle in transaction") && $0.contains("blocked by -") }, "\(lines)")
        var other = configuration
        other.applicationName = "nobody-\(configuration.schema)"
        #expect(await PostgresDriver.activity(other) == ["no PostgreSQL sessions named \"\(other.applicationName)\""])
        try await holder.shutdown()
        try await waiter.shutdown()
    }

    @Test("statistics after an import refresh the project's tables only, not the other schemas of the database")
    func statisticsStayInTheSchema() async throws {
        let mineConfiguration = try #require(TestDatabase.postgresConfiguration())
        let otherConfiguration = try #require(TestDatabase.postgresConfiguration())
        let mine = DatabaseClient(driver: try await PostgresDriver.open(mineConfiguration))
        let other = DatabaseClient(driver: try await PostgresDriver.open(otherConfiguration))
        try await mine.raw(#"CREATE TABLE "t" ("id" serial PRIMARY KEY, "n" integer)"#, access: .write)
        try await other.raw(#"CREATE TABLE "t" ("id" serial PRIMARY KEY, "n" integer)"#, access: .write)
        for statement in mine.dialect.refreshStatisticsStatements(afterBulkWrite: true, tables: ["t"]) {
            _ = try await mine.raw(statement, access: .write)
        }
        func vacuumed(_ schema: String) async throws -> Bool {
            let rows = try await mine.raw(
                #"SELECT "last_vacuum" IS NOT NULL AND "last_analyze" IS NOT NULL AS "done" FROM "pg_stat_all_tables" WHERE "schemaname" = $1 AND "relname" = 't'"#,
                [.text(schema)])
            return try #require(rows.first)["done"] == .bool(true)
        }
        #expect(try await vacuumed(mineConfiguration.schema))
        #expect(try await !vacuumed(otherConfiguration.schema))
        try await mine.shutdown()
        try await other.shutdown()
    }

    @Test("after an import, tables an older transaction kept VACUUM from marking all-visible are vacuumed again once it ends")
    func vacuumRetriedUntilAllVisible() async throws {
        // A database of its own: the visibility horizon of user tables only counts transactions in
        // the same database, and the other tests of the run keep theirs busy.
        let admin = try await client()
        let name = "strata_vacuum_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.raw("CREATE DATABASE \(name)", access: .write)
        var configuration = try #require(TestDatabase.postgresConfiguration())
        configuration.database = name
        let importer = DatabaseClient(driver: try await PostgresDriver.open(configuration))
        let other = DatabaseClient(driver: try await PostgresDriver.open(configuration))
        try await importer.raw(#"CREATE TABLE "big" ("id" serial PRIMARY KEY, "n" integer)"#, access: .write)
        try await other.raw(#"CREATE TABLE "o" ("id" integer)"#, access: .write)
        let opened = LockedValue(false)
        let released = LockedValue(false)
        // A transaction with an id older than the rows below, open until the refresh has started
        // (ended by a flag, not a delay, so a slow machine cannot end it early).
        let holder = Task {
            try await other.transaction {
                try await other.raw(#"INSERT INTO "o" VALUES (1)"#, access: .write)
                opened.withLock { $0 = true }
                for _ in 0..<2_000 where !released.value { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        while !opened.value { try await Task.sleep(for: .milliseconds(5)) }
        try await importer.raw(#"INSERT INTO "big" ("n") SELECT "g" FROM generate_series(1, 20000) AS "g""#, access: .write)
        func allVisible() async throws -> Bool {
            let row = try #require(try await importer.raw(
                #"SELECT "relpages" > 0 AND "relallvisible" = "relpages" AS "done" FROM "pg_class" WHERE "oid" = CAST('big' AS regclass)"#).first)
            return row["done"] == .bool(true)
        }
        // The statements alone run while the older transaction is open: nothing becomes all-visible.
        for statement in importer.dialect.refreshStatisticsStatements(afterBulkWrite: true, tables: ["big"]) {
            _ = try await importer.raw(statement, access: .write)
        }
        #expect(try await !allVisible(), "the older transaction holds the horizon back")
        // The transaction ends while the refresh waits between its attempts.
        let refresh = Task { try await importer.refreshStatistics(afterBulkWrite: true, tables: ["big"]) }
        try await Task.sleep(for: .milliseconds(100))
        released.withLock { $0 = true }
        try await refresh.value
        #expect(try await allVisible())
        try await holder.value
        try await importer.shutdown()
        try await other.shutdown()
        try await admin.raw("DROP DATABASE \(name)", access: .write)
        try await admin.shutdown()
    }
}
