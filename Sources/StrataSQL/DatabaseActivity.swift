/// What a ``DatabaseClient`` is doing at this moment, so a request that never finishes can be
/// told apart: waiting for a pooled connection, waiting on the database, or stuck elsewhere.
public struct DatabaseActivity: Sendable, Equatable, CustomStringConvertible {
    /// Statements run so far ("queries per request" in tests and benchmarks).
    public var statements = 0
    /// Statements started and not yet answered (including those waiting for a connection).
    public var running = 0
    /// Connections leased from the driver right now (a transaction holds one throughout).
    public var connections = 0
    /// Transactions begun and not yet committed or rolled back.
    public var transactions = 0

    public init() {}

    public var description: String {
        "\(statements) SQL statements so far, \(running) running, \(connections) connections held, \(transactions) transactions open"
    }
}
