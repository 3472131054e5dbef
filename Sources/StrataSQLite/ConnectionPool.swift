/// A fixed set of connections handed out one task at a time; waiters queue in FIFO order.
actor ConnectionPool<Connection: Sendable> {
    private let connections: [Connection]
    private var available: [Connection]
    private var waiters: [CheckedContinuation<Connection, any Error>] = []
    private var isClosed = false

    init(_ connections: [Connection]) {
        self.connections = connections
        available = connections
    }

    func acquire() async throws -> Connection {
        if isClosed { throw PoolClosedError() }
        if let connection = available.popLast() { return connection }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            available.append(connection)
        }
    }

    /// Every connection of the pool, in use or not (for statistics).
    func all() -> [Connection] { connections }

    /// Stops handing out connections and returns the idle ones for closing.
    func close() -> [Connection] {
        isClosed = true
        for waiter in waiters { waiter.resume(throwing: PoolClosedError()) }
        waiters.removeAll()
        defer { available.removeAll() }
        return available
    }

    struct PoolClosedError: Error, CustomStringConvertible {
        var description: String { "the database connection pool is closed" }
    }
}
