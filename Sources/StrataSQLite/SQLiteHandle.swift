import CStrataSQLite
import NIOConcurrencyHelpers
import NIOPosix
import StrataCore
import StrataSQL
// The SQLite amalgamation sqlite-nio vendors (symbols prefixed `sqlite_nio_`): the same build of
// SQLite as before, called directly so statements can be kept prepared and results decoded
// straight into Strata's rows.
import VaporCSQLite

/// One SQLite connection: the `sqlite3` handle, its prepared statements, and the thread pool its
/// blocking calls run on.
///
/// sqlite-nio prepared every statement anew (SQLite's parser was a tenth of a findOne's CPU) and
/// handed each row to the event loop separately; here a query is one hop to the thread pool that
/// binds a cached statement, steps it and returns every row. The lock serializes use of the handle
/// (a pool hands a connection to one task at a time, so it is uncontended).
final class SQLiteHandle: DatabaseConnection, @unchecked Sendable {
    /// Statements longer than this (multi-row inserts of an import) are not kept: they are
    /// rarely repeated and hold many bind slots.
    static let maximumCachedSQLLength = 8_192
    /// Prepared statements kept per connection; when full, the least recently used goes.
    static let statementCacheCapacity = 64

    private let lock = NIOLock()
    private var db: OpaquePointer?
    private var cache: [String: CachedStatement] = [:]
    private var useCounter: UInt64 = 0
    private var prepareCount = 0
    private var finalizedReprepareCount = 0
    private let threadPool: NIOThreadPool

    private init(db: OpaquePointer, threadPool: NIOThreadPool) {
        self.db = db
        self.threadPool = threadPool
        running = LockedValue(UncheckedRunning(value: Running(budget: nil, db: db)))
    }

    deinit {
        closeNow()
    }

    private static let initialize: Void = { _ = sqlite_nio_sqlite3_initialize() }()

    /// Opens (creating when missing) the database at `path`, or a private in-memory database for `":memory:"`.
    static func open(path: String, threadPool: NIOThreadPool = .singleton) async throws -> SQLiteHandle {
        try await threadPool.runIfActive {
            _ = initialize
            var db: OpaquePointer?
            // NOMUTEX: the handle's own lock serializes every call.
            let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
            let code = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
            guard code == SQLITE_OK, let db else {
                let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open \(path)"
                if let db { sqlite_nio_sqlite3_close_v2(db) }
                throw SQLiteFailure(code: code, message: message)
            }
            // Without the planner stability guarantee SQLite plans some statements for the values
            // bound (partial-index and LIMIT checks), marks them to be re-prepared whenever a value
            // changes, and the statement cache would save nothing.
            let qpsg = strata_sqlite_enable_qpsg(UnsafeMutableRawPointer(db))
            guard qpsg == SQLITE_OK else {
                sqlite_nio_sqlite3_close_v2(db)
                throw SQLiteFailure(code: qpsg, message: "cannot configure the SQLite connection")
            }
            return SQLiteHandle(db: db, threadPool: threadPool)
        }
    }

    /// Statements prepared by this connection, and how often SQLite had to prepare one again.
    var statementCounts: StatementCounts {
        lock.withLock {
            let kept = cache.values.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1.statement, SQLITE_STMTSTATUS_REPREPARE, 0)) }
            return StatementCounts(prepared: prepareCount, reprepared: finalizedReprepareCount + kept)
        }
    }

    func query(_ sql: String, _ binds: [DatabaseValue]) async throws -> [DatabaseRow] {
        // The request's budget is read here: task-locals do not reach the thread pool. Ending a
        // transaction is never interrupted, whatever the budget says.
        let budget = RequestBudget.current.flatMap { sql == "COMMIT" || sql == "ROLLBACK" ? nil : $0 }
        return try await threadPool.runIfActive { try self.run(sql, binds, budget: budget) }
    }

    /// The budget of the statement running now, and the handle to interrupt (nil once closed).
    struct Running {
        var budget: RequestBudget?
        var db: OpaquePointer?
    }

    private let running: LockedValue<UncheckedRunning>

    /// `Running` holds a raw handle, used only under this lock and only while open.
    struct UncheckedRunning: @unchecked Sendable {
        var value: Running
    }

    /// Interrupts the running statement if its request's budget is spent (the driver's watcher
    /// calls this a few times a second). SQLite clears a stale interrupt when the next statement
    /// starts, so one that lands just after the statement ended does no harm.
    func interruptIfSpent() {
        running.withLock { state in
            guard let budget = state.value.budget, let db = state.value.db, budget.isSpent else { return }
            sqlite_nio_sqlite3_interrupt(db)
        }
    }

    func close() async throws {
        try await threadPool.runIfActive { self.closeNow() }
    }

    private func closeNow() {
        lock.withLock {
            for entry in cache.values { sqlite_nio_sqlite3_finalize(entry.statement) }
            cache.removeAll()
            running.withLock { $0.value.db = nil }
            if let db { sqlite_nio_sqlite3_close_v2(db) }
            db = nil
        }
    }

    // MARK: Running a statement (on a thread of the pool)

    private func run(_ sql: String, _ binds: [DatabaseValue], budget: RequestBudget?) throws -> [DatabaseRow] {
        try lock.withLock {
            guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the SQLite connection is closed") }
            // While a request's statement runs, the driver's watcher may interrupt it once the
            // request's budget is spent (SQLITE_INTERRUPT, reported as the budget's own error).
            if let budget { running.withLock { $0.value.budget = budget } }
            defer { if budget != nil { running.withLock { $0.value.budget = nil } } }
            let cacheable = sql.utf8.count <= Self.maximumCachedSQLLength
            let entry: CachedStatement
            if cacheable, let cached = cache[sql] {
                entry = cached
            } else {
                // Only whitespace or comments prepares to no statement: nothing to run.
                guard let statement = try prepare(sql, on: db) else { return [] }
                entry = CachedStatement(statement: statement)
                if cacheable { store(entry, for: sql) }
            }
            let statement = entry.statement
            useCounter &+= 1
            entry.lastUse = useCounter
            defer {
                // A reset statement holds no read snapshot or lock; clearing drops copied bind values.
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
                if !cacheable { sqlite_nio_sqlite3_finalize(statement) }
            }
            try bind(binds, to: statement, on: db)
            var rows: [DatabaseRow] = []
            var names: ColumnNames?
            while true {
                let code = sqlite_nio_sqlite3_step(statement)
                if code == SQLITE_DONE { break }
                if code == SQLITE_INTERRUPT, let spent = budget?.failure { throw spent }
                guard code == SQLITE_ROW else { throw failure(code, on: db) }
                let columns = names ?? entry.columnNames(for: statement)
                names = columns
                rows.append(DatabaseRow(columns: columns, values: Self.values(of: statement, count: columns.names.count)))
            }
            return rows
        }
    }

    private func prepare(_ sql: String, on db: OpaquePointer) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        prepareCount += 1
        let code = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, 0, &statement, nil)
        guard code == SQLITE_OK else { throw failure(code, on: db) }
        return statement
    }

    /// Keeps a new statement, making room by finalizing the least recently used one.
    private func store(_ entry: CachedStatement, for sql: String) {
        if cache.count >= Self.statementCacheCapacity,
           let oldest = cache.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            finalizedReprepareCount += Int(sqlite_nio_sqlite3_stmt_status(oldest.value.statement, SQLITE_STMTSTATUS_REPREPARE, 0))
            sqlite_nio_sqlite3_finalize(oldest.value.statement)
            cache[oldest.key] = nil
        }
        cache[sql] = entry
    }

    private func bind(_ binds: [DatabaseValue], to statement: OpaquePointer, on db: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null:
                code = sqlite_nio_sqlite3_bind_null(statement, index)
            case .int(let number):
                code = sqlite_nio_sqlite3_bind_int64(statement, index, number)
            case .double(let number):
                code = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .bool(let flag):
                code = sqlite_nio_sqlite3_bind_int64(statement, index, flag ? 1 : 0)
            case .timestamp(let timestamp):
                code = sqlite_nio_sqlite3_bind_int64(statement, index, timestamp.millisecondsSince1970)
            case .text(let text):
                code = Self.bindText(text, statement, index)
            case .json(let json):
                code = Self.bindText(JSONWriter.string(json), statement, index)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), sqliteTransient)
                }
            }
            guard code == SQLITE_OK else { throw failure(code, on: db) }
        }
    }

    private static func bindText(_ text: String, _ statement: OpaquePointer, _ index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            // A non-nil pointer even for "" so SQLite binds an empty string, not NULL.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
            return sqlite_nio_sqlite3_bind_text64(
                statement, index, base.assumingMemoryBound(to: CChar.self), UInt64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
        }
    }

    private static func values(of statement: OpaquePointer, count: Int) -> [DatabaseValue] {
        var values: [DatabaseValue] = []
        values.reserveCapacity(count)
        for column in 0..<Int32(count) {
            switch sqlite_nio_sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER:
                values.append(.int(sqlite_nio_sqlite3_column_int64(statement, column)))
            case SQLITE_FLOAT:
                values.append(.double(sqlite_nio_sqlite3_column_double(statement, column)))
            case SQLITE_TEXT:
                let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                if let text = sqlite_nio_sqlite3_column_text(statement, column) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                if length > 0, let blob = sqlite_nio_sqlite3_column_blob(statement, column) {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: blob, count: length))))
                } else {
                    values.append(.blob([]))
                }
            default:
                values.append(.null)
            }
        }
        return values
    }

    private func failure(_ code: Int32, on db: OpaquePointer) -> SQLiteFailure {
        let extended = sqlite_nio_sqlite3_extended_errcode(db)
        let message = sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "SQLite error \(code)"
        return SQLiteFailure(code: extended != 0 ? extended : code, message: message)
    }
}

/// How many statements a connection prepared, and re-prepared (after a schema change, or for new
/// bound values when the planner depends on them).
public struct StatementCounts: Sendable, Equatable {
    public var prepared: Int
    public var reprepared: Int

    public init(prepared: Int, reprepared: Int) {
        self.prepared = prepared
        self.reprepared = reprepared
    }
}

/// A prepared statement kept for reuse, with the column names of its last result. A class, so a
/// cache hit updates it in place (only ever touched under its connection's lock).
private final class CachedStatement {
    let statement: OpaquePointer
    var lastUse: UInt64 = 0
    private var names: ColumnNames?
    private var namesReprepared: Int32 = 0

    init(statement: OpaquePointer) {
        self.statement = statement
    }

    /// The result's column names, shared by every row. SQLite re-prepares a statement after a
    /// schema change, which may change its columns; its re-prepare counter says when the cached
    /// names must be read again (reading them allocates a string per column).
    func columnNames(for statement: OpaquePointer) -> ColumnNames {
        let reprepared = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let names, reprepared == namesReprepared { return names }
        let count = Int(sqlite_nio_sqlite3_column_count(statement))
        let fresh = ColumnNames((0..<count).map { Self.name(statement, $0) })
        names = fresh
        namesReprepared = reprepared
        return fresh
    }

    private static func name(_ statement: OpaquePointer, _ column: Int) -> String {
        sqlite_nio_sqlite3_column_name(statement, Int32(column)).map { String(cString: $0) } ?? ""
    }
}

/// An SQLite result code (extended) with SQLite's message.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// The primary result code (`SQLITE_CONSTRAINT` for `SQLITE_CONSTRAINT_UNIQUE`...).
    var primaryCode: Int32 { code & 0xff }

    var description: String { message }
}

/// SQLite copies the bound value before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

