import StrataCore

/// A connection to one database. Drivers implement this over their native client.
public protocol DatabaseConnection: Sendable {
    /// Runs a statement and returns its rows.
    func query(_ sql: String, _ binds: [DatabaseValue]) async throws -> [DatabaseRow]
}

/// Whether work needs the write connection. SQLite has one writer and many readers; Postgres
/// ignores the distinction.
public enum ConnectionAccess: Sendable {
    case read
    case write
}

/// A database backend: connection handling, dialect, introspection and error translation.
public protocol DatabaseDriver: Sendable {
    var dialect: any DatabaseDialect { get }

    /// Runs `body` with a connection; write access is exclusive where the database needs it.
    func withConnection<T: Sendable>(
        _ access: ConnectionAccess,
        _ body: @Sendable (any DatabaseConnection) async throws -> T
    ) async throws -> T

    /// The statements that open, commit and roll back a write transaction.
    var beginTransactionSQL: String { get }

    /// Runs `body` holding a lock every Strata process on this database takes for start-up work
    /// (schema sync, seeding), so instances starting together do not both create or seed.
    func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T

    /// Reads the current tables, columns and indexes.
    func introspect(_ connection: any DatabaseConnection) async throws -> SchemaSnapshot

    /// Turns a driver error into a ``DatabaseError`` (unique, not-null… violations).
    func translate(_ error: any Error) -> any Error

    /// Closes every connection.
    func shutdown() async throws
}

extension DatabaseDriver {
    public var beginTransactionSQL: String { "BEGIN" }
    public func translate(_ error: any Error) -> any Error { error }

    /// SQLite's `BEGIN IMMEDIATE` already serializes writers across processes.
    public func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await body()
    }
}
