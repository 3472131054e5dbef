import Foundation
import NIOCore
import NIOPosix
import StrataCore
public import StrataSQL

/// The SQLite backend: one writer connection (SQLite allows one writer at a time) and a pool of
/// readers in WAL mode, so reads never wait for writes.
public final class SQLiteDriver: DatabaseDriver {
    public let dialect: any DatabaseDialect = SQLiteDialect()
    public let configuration: SQLiteConfiguration
    private let writer: ConnectionPool<SQLiteHandle>
    private let readers: ConnectionPool<SQLiteHandle>?
    /// Interrupts statements whose request ran out of time or lost its client.
    private let watcher: Task<Void, Never>

    private init(configuration: SQLiteConfiguration, writer: SQLiteHandle, readers: [SQLiteHandle]) {
        self.configuration = configuration
        self.writer = ConnectionPool([writer])
        self.readers = readers.isEmpty ? nil : ConnectionPool(readers)
        let handles = [writer] + readers
        watcher = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                for handle in handles { handle.interruptIfSpent() }
            }
        }
    }

    /// How often running statements are checked against their request's budget.
    static let watchInterval: Duration = .milliseconds(100)

    /// Opens the database (creating the file and its folder if needed) and its connections.
    public static func open(_ configuration: SQLiteConfiguration) async throws -> SQLiteDriver {
        switch configuration.storage {
        case .memory:
            let connection = try await openConnection(":memory:", configuration: configuration)
            return SQLiteDriver(configuration: configuration, writer: connection, readers: [])
        case .file(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DatabaseError(.connection, "cannot create the folder \(directory) for the SQLite database: \(error.localizedDescription)")
            }
            let writer = try await openConnection(path, configuration: configuration)
            _ = try await writer.query("PRAGMA journal_mode = WAL", [])
            var readers: [SQLiteHandle] = []
            for _ in 0..<max(0, configuration.readerCount) {
                readers.append(try await openConnection(path, configuration: configuration))
            }
            return SQLiteDriver(configuration: configuration, writer: writer, readers: readers)
        }
    }

    private static func openConnection(_ path: String, configuration: SQLiteConfiguration) async throws -> SQLiteHandle {
        let connection: SQLiteHandle
        do {
            connection = try await SQLiteHandle.open(path: path)
        } catch {
            throw DatabaseError(.connection, "cannot open the SQLite database: \(error)")
        }
        _ = try await connection.query("PRAGMA foreign_keys = ON", [])
        _ = try await connection.query("PRAGMA busy_timeout = \(configuration.busyTimeoutMilliseconds)", [])
        _ = try await connection.query("PRAGMA synchronous = NORMAL", [])
        return connection
    }

    public var beginTransactionSQL: String { "BEGIN IMMEDIATE" }

    public func withConnection<T: Sendable>(
        _ access: ConnectionAccess,
        _ body: @Sendable (any DatabaseConnection) async throws -> T
    ) async throws -> T {
        let pool = (access == .read ? readers : nil) ?? writer
        let connection = try await pool.acquire()
        do {
            let result = try await body(connection)
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    /// Statements prepared and re-prepared so far over every connection (the statement cache's
    /// effect: a steady workload stops preparing).
    public func statementCounts() async -> StatementCounts {
        var connections = await writer.all()
        if let readers { connections += await readers.all() }
        return connections.reduce(StatementCounts(prepared: 0, reprepared: 0)) {
            let counts = $1.statementCounts
            return StatementCounts(prepared: $0.prepared + counts.prepared, reprepared: $0.reprepared + counts.reprepared)
        }
    }

    public func introspect(_ connection: any DatabaseConnection) async throws -> SchemaSnapshot {
        try await SQLiteIntrospector(connection: connection).snapshot()
    }

    public func translate(_ error: any Error) -> any Error {
        SQLiteErrorTranslator.translate(error)
    }

    public func shutdown() async throws {
        watcher.cancel()
        var connections = await writer.close()
        if let readers { connections += await readers.close() }
        for connection in connections { try await connection.close() }
    }
}
