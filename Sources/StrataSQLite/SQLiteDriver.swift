import Foundation
public import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import StrataCore
public import StrataSQL

/// The SQLite backend: one writer connection (SQLite allows one writer at a time) and a pool of
/// readers in WAL mode, so reads never wait for writes.
public final class SQLiteDriver: DatabaseDriver {
    public let dialect: any DatabaseDialect = SQLiteDialect()
    public let configuration: SQLiteConfiguration
    private let writer: ConnectionPool<SQLiteDatabaseConnection>
    private let readers: ConnectionPool<SQLiteDatabaseConnection>?

    private init(configuration: SQLiteConfiguration, writer: SQLiteDatabaseConnection, readers: [SQLiteDatabaseConnection]) {
        self.configuration = configuration
        self.writer = ConnectionPool([writer])
        self.readers = readers.isEmpty ? nil : ConnectionPool(readers)
    }

    /// Opens the database (creating the file and its folder if needed) and its connections.
    public static func open(_ configuration: SQLiteConfiguration, logger: Logger = Logger(label: "strata.sqlite")) async throws -> SQLiteDriver {
        switch configuration.storage {
        case .memory:
            let connection = try await openConnection(.memory, configuration: configuration, logger: logger)
            return SQLiteDriver(configuration: configuration, writer: connection, readers: [])
        case .file(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DatabaseError(.connection, "cannot create the folder \(directory) for the SQLite database: \(error.localizedDescription)")
            }
            let writer = try await openConnection(.file(path: path), configuration: configuration, logger: logger)
            _ = try await writer.query("PRAGMA journal_mode = WAL", [])
            var readers: [SQLiteDatabaseConnection] = []
            for _ in 0..<max(0, configuration.readerCount) {
                readers.append(try await openConnection(.file(path: path), configuration: configuration, logger: logger))
            }
            return SQLiteDriver(configuration: configuration, writer: writer, readers: readers)
        }
    }

    private static func openConnection(
        _ storage: SQLiteConnection.Storage,
        configuration: SQLiteConfiguration,
        logger: Logger
    ) async throws -> SQLiteDatabaseConnection {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw DatabaseError(.connection, "cannot open the SQLite database: \(error)")
        }
        let wrapped = SQLiteDatabaseConnection(connection)
        _ = try await wrapped.query("PRAGMA foreign_keys = ON", [])
        _ = try await wrapped.query("PRAGMA busy_timeout = \(configuration.busyTimeoutMilliseconds)", [])
        _ = try await wrapped.query("PRAGMA synchronous = NORMAL", [])
        return wrapped
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

    public func introspect(_ connection: any DatabaseConnection) async throws -> SchemaSnapshot {
        try await SQLiteIntrospector(connection: connection).snapshot()
    }

    public func translate(_ error: any Error) -> any Error {
        SQLiteErrorTranslator.translate(error)
    }

    public func shutdown() async throws {
        var connections = await writer.close()
        if let readers { connections += await readers.close() }
        for connection in connections { try await connection.close() }
    }
}

/// One sqlite-nio connection speaking Strata's value types.
final class SQLiteDatabaseConnection: DatabaseConnection {
    let connection: SQLiteConnection

    init(_ connection: SQLiteConnection) {
        self.connection = connection
    }

    // A driver dropped without `shutdown()` (a failed boot, a test that threw) must not leak the
    // handle or trip sqlite-nio's "not closed" assertion; the close closure keeps it alive.
    deinit {
        if !connection.isClosed {
            _ = connection.close()
        }
    }

    func query(_ sql: String, _ binds: [DatabaseValue]) async throws -> [DatabaseRow] {
        let collector = RowCollector()
        try await connection.query(sql, binds.map(Self.sqliteData)) { row in
            collector.append(row)
        }
        return collector.rows
    }

    func close() async throws {
        try await connection.close()
    }

    static func sqliteData(_ value: DatabaseValue) -> SQLiteData {
        switch value {
        case .null: return .null
        case .int(let number): return .integer(SQLiteInt64(number))
        case .double(let number): return .float(number)
        case .text(let text): return .text(text)
        case .blob(let bytes): return .blob(ByteBuffer(bytes: bytes))
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .timestamp(let timestamp): return .integer(SQLiteInt64(timestamp.millisecondsSince1970))
        case .json(let json): return .text(JSONWriter.string(json))
        }
    }

    static func databaseValue(_ data: SQLiteData) -> DatabaseValue {
        switch data {
        case .null: return .null
        case .integer(let number): return .int(Int64(number))
        case .float(let number): return .double(number)
        case .text(let text): return .text(text)
        case .blob(var buffer): return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
    }
}

/// Gathers rows produced on sqlite-nio's thread pool; the query call returns only after the last
/// callback, so the lock is uncontended and only satisfies the compiler.
private final class RowCollector: Sendable {
    private let state = LockedValue<(names: ColumnNames?, rows: [DatabaseRow])>((nil, []))

    func append(_ row: SQLiteRow) {
        let columns = row.columns
        state.withLock { state in
            let names = state.names ?? ColumnNames(columns.map(\.name))
            state.names = names
            state.rows.append(DatabaseRow(columns: names, values: columns.map { SQLiteDatabaseConnection.databaseValue($0.data) }))
        }
    }

    var rows: [DatabaseRow] { state.withLock { $0.rows } }
}
