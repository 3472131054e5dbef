import PostgresNIO
import StrataCore
import StrataSQL
import Synchronization

/// Whether a lease got its connection in time. Decided once, under a lock, so a connection that
/// arrives as the timer fires is either used or refused, never both.
private final class LeaseDeadline: Sendable {
    private enum State { case waiting, leased, expired }
    private let state = LockedValue(State.waiting)

    /// The connection arrived: true unless the deadline passed first.
    func lease() -> Bool {
        state.withLock { value in
            guard value == .waiting else { return false }
            value = .leased
            return true
        }
    }

    /// The deadline passed: true when no connection had arrived.
    func expire() -> Bool {
        state.withLock { value in
            guard value == .waiting else { return false }
            value = .expired
            return true
        }
    }
}

extension PostgresDriver {
    /// Runs `body` on a pooled connection. While fewer leases are out than the pool has
    /// connections, one is idle or can be opened (within the connect timeout), so the lease is
    /// taken directly; once the pool may be full, the wait is timed by ``withLease(timeout:of:_:)``,
    /// which costs a task group.
    func lease<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let out = leases.wrappingAdd(1, ordering: .relaxed).oldValue
        defer { leases.wrappingSubtract(1, ordering: .relaxed) }
        if out < configuration.poolSize {
            return try await client.withConnection { connection in try await body(connection) }
        }
        return try await withLease(timeout: .milliseconds(configuration.acquireTimeoutMilliseconds), of: client, body)
    }
}

/// Runs `body` on a connection leased from `client`, failing with a ``DatabaseError`` when none is
/// free within `timeout` (knex's "Timeout acquiring a connection"). Only the wait is timed;
/// `body` may run as long as it needs (an import's transaction does).
func withLease<T: Sendable>(
    timeout: Duration, of client: PostgresClient,
    _ body: @Sendable (PostgresConnection) async throws -> T
) async throws -> T {
    let deadline = LeaseDeadline()
    let timedOut = DatabaseError(.connection, "Timeout acquiring a connection after \(timeout): the pool is probably full (pool.max), or a transaction is holding its connections")
    // The group ends only after its tasks have, so `body` does not outlive this call.
    return try await withoutActuallyEscaping(body) { body in
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    guard deadline.lease() else { throw timedOut }
                    return try await body(connection)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                // Cancelled (the lease is done) or the connection came first: nothing to report.
                if deadline.expire() { throw timedOut }
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            // Unreachable: the lease task either returns a value or throws.
            throw timedOut
        }
    }
}
