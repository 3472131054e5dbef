public import Logging
public import SQLKit
public import StrataCore

/// The one way upper layers talk to the database: builds SQL from SQLKit expressions with the
/// driver's dialect, runs it on the ambient transaction's connection when there is one, and
/// offers transactions with after-commit callbacks.
public final class DatabaseClient: Sendable {
    public let driver: any DatabaseDriver
    public let logger: Logger
    /// What this client is doing now; its statement count is "queries per request" for tests
    /// and benchmarks.
    public let activity = LockedValue(DatabaseActivity())

    /// Statements run through this client so far.
    public var statementCount: Int { activity.value.statements }

    /// The serializer's stand-in database, built once (it reads the dialect's quote).
    let serialization: SerializationDatabase

    public init(driver: any DatabaseDriver, logger: Logger = Logger(label: "strata.database")) {
        self.driver = driver
        self.logger = logger
        serialization = SerializationDatabase(dialect: driver.dialect)
    }

    public var dialect: any DatabaseDialect { driver.dialect }

    /// SQL text and binds for an expression, in this database's dialect.
    public func serialize(_ expression: any SQLExpression) throws -> (sql: String, binds: [DatabaseValue]) {
        var serializer = SQLSerializer(database: serialization)
        serializer.sql.reserveCapacity(1024)
        expression.serialize(to: &serializer)
        var binds: [DatabaseValue] = []
        binds.reserveCapacity(serializer.binds.count)
        for bind in serializer.binds {
            guard let value = bind as? DatabaseValue else {
                throw DatabaseError(.other, "unsupported bind value of type \(type(of: bind))")
            }
            binds.append(value)
        }
        if binds.count > dialect.maxBindParameters {
            throw DatabaseError(.tooManyBinds, "statement needs \(binds.count) parameters; \(dialect.name) allows \(dialect.maxBindParameters)")
        }
        return (serializer.sql, binds)
    }

    /// SQL text and binds of an expression that may hold ``BindSlot``s, to keep and run many
    /// times with different values.
    public func template(of expression: any SQLExpression) throws -> StatementTemplate {
        var serializer = SQLSerializer(database: serialization)
        expression.serialize(to: &serializer)
        var binds: [StatementTemplate.Bind] = []
        binds.reserveCapacity(serializer.binds.count)
        for bind in serializer.binds {
            if let value = bind as? DatabaseValue {
                binds.append(.value(value))
            } else if let slot = bind as? BindSlot {
                binds.append(.slot(slot.index))
            } else {
                throw DatabaseError(.other, "unsupported bind value of type \(type(of: bind))")
            }
        }
        if binds.count > dialect.maxBindParameters {
            throw DatabaseError(.tooManyBinds, "statement needs \(binds.count) parameters; \(dialect.name) allows \(dialect.maxBindParameters)")
        }
        return StatementTemplate(sql: serializer.sql, binds: binds)
    }

    /// SQL text of an expression that binds nothing (schema names, keywords), in this database's
    /// dialect, for fragments rendered once and reused.
    public func text(of expression: any SQLExpression) -> String {
        var serializer = SQLSerializer(database: serialization)
        expression.serialize(to: &serializer)
        precondition(serializer.binds.isEmpty, "text(of:) is for expressions without binds")
        return serializer.sql
    }

    /// Runs a read (or a write inside a transaction) and returns its rows.
    @discardableResult
    public func query(_ expression: any SQLExpression, access: ConnectionAccess = .read) async throws -> [DatabaseRow] {
        let (sql, binds) = try serialize(expression)
        return try await raw(sql, binds, access: access)
    }

    /// Runs a write outside or inside a transaction.
    @discardableResult
    public func write(_ expression: any SQLExpression) async throws -> [DatabaseRow] {
        try await query(expression, access: .write)
    }

    /// Runs SQL text that was built from trusted parts (DDL, introspection). Never pass request data here.
    @discardableResult
    public func raw(_ sql: String, _ binds: [DatabaseValue] = [], access: ConnectionAccess = .read) async throws -> [DatabaseRow] {
        logger.trace("sql", metadata: ["sql": .string(sql)])
        // A request past its time limit, or whose client left, runs no further statement.
        if let budget = RequestBudget.current { try budget.check() }
        activity.withLock {
            $0.statements += 1
            $0.running += 1
        }
        defer { activity.withLock { $0.running -= 1 } }
        do {
            if let transaction = Transaction.current {
                return try await transaction.connection.query(sql, binds)
            }
            return try await withConnection(access) { connection in
                try await connection.query(sql, binds)
            }
        } catch let error as DatabaseError {
            throw Self.clientFacing(error)
        } catch let error as any StrataError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.clientFacing(driver.translate(error))
        }
    }

    /// A value the database refused (out of its column type's range, a NUL in text) came from
    /// the request: a 400 naming the problem, not an opaque 500.
    static func clientFacing(_ error: any Error) -> any Error {
        guard let database = error as? DatabaseError, database.kind == .invalidValue else { return error }
        return ValidationError("Invalid value: \(database.message)")
    }

    /// Runs `body` in a transaction on the write connection. Nested calls join the outer
    /// transaction. Any thrown error rolls everything back; `onCommit` callbacks run only after
    /// a successful commit of the outermost transaction.
    ///
    /// A transaction the database aborted to break a deadlock or a serialization conflict
    /// (``DatabaseError/Kind/busy``) is run again, up to ``transactionAttempts`` times in all.
    public func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if Transaction.current != nil {
            return try await body()
        }
        var attempt = 1
        while true {
            do {
                return try await runTransaction(body)
            } catch let error as DatabaseError where error.kind == .busy && attempt < Self.transactionAttempts {
                logger.notice("transaction retried after a conflict", metadata: ["error": .string(error.message), "attempt": .stringConvertible(attempt)])
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...20) * attempt))
                attempt += 1
            }
        }
    }

    /// How many times a transaction runs before a conflict is reported.
    public static let transactionAttempts = 3

    private func runTransaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let (result, transaction) = try await withConnection(.write) { connection in
            activity.withLock { $0.transactions += 1 }
            defer { activity.withLock { $0.transactions -= 1 } }
            let transaction = Transaction(connection: connection)
            _ = try await connection.query(driver.beginTransactionSQL, [])
            let result: T
            do {
                result = try await Transaction.$current.withValue(transaction) { try await body() }
            } catch {
                do {
                    _ = try await connection.query("ROLLBACK", [])
                } catch let rollbackError {
                    logger.error("rollback failed", metadata: ["error": .string("\(rollbackError)")])
                }
                throw error is DatabaseError ? error : driver.translate(error)
            }
            do {
                _ = try await connection.query("COMMIT", [])
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw driver.translate(error)
            }
            return (result, transaction)
        }
        await transaction.runCommitCallbacks(logger: logger)
        return result
    }

    /// Registers work to run after the current transaction commits, or right away when there is none.
    public func onCommit(_ callback: @escaping @Sendable () async -> Void) async {
        if let transaction = Transaction.current {
            transaction.addCommitCallback(callback)
        } else {
            await callback()
        }
    }

    /// Runs `body` under the database-wide start-up lock (see ``DatabaseDriver/withStartupLock(_:)``).
    public func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await driver.withStartupLock(body)
    }

    /// Reads the database's current tables, columns and indexes.
    public func introspect() async throws -> SchemaSnapshot {
        if let transaction = Transaction.current {
            return try await driver.introspect(transaction.connection)
        }
        return try await withConnection(.read) { connection in
            try await driver.introspect(connection)
        }
    }

    /// Leases a connection from the driver for `body`, counted in ``activity``.
    private func withConnection<T: Sendable>(
        _ access: ConnectionAccess, _ body: @Sendable (any DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await driver.withConnection(access) { connection in
            activity.withLock { $0.connections += 1 }
            defer { activity.withLock { $0.connections -= 1 } }
            return try await body(connection)
        }
    }

    public func shutdown() async throws {
        try await driver.shutdown()
    }
}

/// The ambient transaction of the current task (Strapi's `transactionCtx`, as a task-local).
public final class Transaction: Sendable {
    @TaskLocal public static var current: Transaction?

    public let connection: any DatabaseConnection
    private let callbacks = LockedValue<[@Sendable () async -> Void]>([])

    init(connection: any DatabaseConnection) {
        self.connection = connection
    }

    func addCommitCallback(_ callback: @escaping @Sendable () async -> Void) {
        callbacks.withLock { $0.append(callback) }
    }

    func runCommitCallbacks(logger: Logger) async {
        let pending = callbacks.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for callback in pending { await callback() }
    }
}
