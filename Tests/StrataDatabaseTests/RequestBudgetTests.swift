import Foundation
import StrataCore
import StrataSQL
import StrataTestDatabase
import Testing

/// A request's budget stops its database work: before each statement, and while a statement
/// runs (SQLite interrupts it, PostgreSQL cancels it with `pg_cancel_backend`).
@Suite("Request budgets")
struct RequestBudgetTests {
    /// Counts to a billion: minutes of work unless interrupted.
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"

    func client() async throws -> DatabaseClient {
        DatabaseClient(driver: try await TestDatabase.driver())
    }

    @Test("a statement running past the request's time limit is interrupted with a 503")
    func timeLimitInterrupts() async throws {
        let client = try await client()
        let budget = RequestBudget(limit: .milliseconds(200))
        let started = ContinuousClock.now
        await #expect(throws: ServiceUnavailableError.self) {
            try await RequestBudget.$current.withValue(budget) { try await client.raw(Self.endless) }
        }
        #expect(ContinuousClock.now - started < .seconds(10), "interrupted, not run to its end")
        // The connection is fine afterwards, and a stale interrupt does not hit the next statement.
        #expect(try await client.raw("SELECT 1 AS one").first?["one"] == .int(1))
        try await client.shutdown()
    }

    @Test("a statement of a request whose client left is interrupted")
    func abandonmentInterrupts() async throws {
        let client = try await client()
        let budget = RequestBudget(limit: nil)
        let started = ContinuousClock.now
        async let abandon: Void = {
            try? await Task.sleep(for: .milliseconds(200))
            budget.abandon()
        }()
        await #expect(throws: CancellationError.self) {
            try await RequestBudget.$current.withValue(budget) { try await client.raw(Self.endless) }
        }
        await abandon
        #expect(ContinuousClock.now - started < .seconds(10))
        try await client.shutdown()
    }

    @Test("a spent budget runs no further statement; no budget (CLI, start-up) is never stopped")
    func checkedBeforeEachStatement() async throws {
        let client = try await client()
        let spent = RequestBudget(limit: .zero)
        let before = client.statementCount
        await #expect(throws: ServiceUnavailableError.self) {
            try await RequestBudget.$current.withValue(spent) { try await client.raw("SELECT 1") }
        }
        #expect(client.statementCount == before, "refused before it ran")
        let left = RequestBudget(limit: nil)
        left.abandon()
        await #expect(throws: CancellationError.self) {
            try await RequestBudget.$current.withValue(left) { try await client.raw("SELECT 1") }
        }
        #expect(try await client.raw("SELECT 2 AS two").first?["two"] == .int(2))
        try await client.shutdown()
    }

    @Test("cancelled statements give their connections back: more spent requests than connections leave the pool usable")
    func cancelledStatementsFreeTheirConnections() async throws {
        let client = try await client()
        let started = ContinuousClock.now
        // Tests' PostgreSQL pools hold three connections; four statements would queue on them
        // for minutes if the server kept running the abandoned ones.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let budget = RequestBudget(limit: .milliseconds(300))
                    await #expect(throws: ServiceUnavailableError.self) {
                        try await RequestBudget.$current.withValue(budget) { try await client.raw(Self.endless) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await client.raw("SELECT 3 AS three").first?["three"] == .int(3))
        #expect(ContinuousClock.now - started < .seconds(20))
        // Inside a transaction, the cancelled statement fails the transaction and it rolls back.
        let budget = RequestBudget(limit: .milliseconds(300))
        await #expect(throws: ServiceUnavailableError.self) {
            try await RequestBudget.$current.withValue(budget) {
                try await client.transaction { _ = try await client.raw(Self.endless, access: .write) }
            }
        }
        #expect(try await client.raw("SELECT 4 AS four").first?["four"] == .int(4))
        try await client.shutdown()
    }
}
