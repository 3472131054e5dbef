import Logging
import NIOSSL
import PostgresNIO
import StrataCore
import StrataSQL

/// Cancels PostgreSQL statements whose request ran out of time or lost its client, as the SQLite
/// driver interrupts its own.
///
/// postgres-nio's task cancellation only fails the local promise: the server goes on running the
/// statement and the connection stays busy. Here each statement run for a request registers its
/// backend's process id; a watcher checks the registered budgets a few times a second and asks
/// the server to cancel spent ones with `pg_cancel_backend` over a connection of its own, outside
/// the pool (the pool may be full of exactly the statements to cancel).
final class PostgresStatementWatcher: Sendable {
    /// How often running statements are checked against their request's budget.
    static let watchInterval: Duration = .milliseconds(100)
    /// Backend process ids remembered per pooled connection; past this many (connections come
    /// and go), the table starts over.
    static let maximumRememberedConnections = 1_024

    private struct Statement {
        let budget: RequestBudget
        let processID: Int32
        /// The cancel request, once sent.
        var cancel: Task<Void, Never>?
    }

    private struct State {
        var processIDs: [PostgresConnection.ID: Int32] = [:]
        var running: [UInt64: Statement] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = LockedValue(State())
    private let canceller: PostgresCanceller
    private let watcher = LockedValue<Task<Void, Never>?>(nil)

    init(configuration: PostgresConfiguration, tls: TLSConfiguration?, logger: Logger) {
        canceller = PostgresCanceller(configuration: configuration, tls: tls, logger: logger)
    }

    /// Starts checking; ``shutdown()`` stops.
    func start() {
        let task = Task.detached(priority: .utility) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                self?.cancelSpent()
            }
        }
        watcher.withLock { $0 = task }
    }

    func shutdown() async {
        watcher.withLock { $0 }?.cancel()
        await canceller.close()
    }

    /// Runs one statement of the current request so that it can be cancelled while it runs.
    /// Without a request budget (CLI, start-up) and for COMMIT/ROLLBACK it simply runs.
    func run<T>(_ sql: String, on connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
        guard let budget = RequestBudget.current, sql != "COMMIT", sql != "ROLLBACK" else { return try await body() }
        let processID = try await processID(of: connection, logger: logger)
        let token = state.withLock { state in
            state.nextToken &+= 1
            state.running[state.nextToken] = Statement(budget: budget, processID: processID)
            return state.nextToken
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        let cancel = state.withLock { $0.running.removeValue(forKey: token)?.cancel }
        if let cancel {
            // The connection goes back to the pool only once the server has the cancel request,
            // so it cannot land on another request's statement.
            await cancel.value
            if case .failure = result, let spent = budget.failure { throw spent }
        }
        return try result.get()
    }

    /// The backend process id of a pooled connection: asked once per connection.
    private func processID(of connection: PostgresConnection, logger: Logger) async throws -> Int32 {
        if let known = state.withLock({ $0.processIDs[connection.id] }) { return known }
        let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger).collect()
        guard let processID = try rows.first?.decode(Int32.self) else {
            throw DatabaseError(.other, "PostgreSQL did not report the connection's backend process id")
        }
        state.withLock { state in
            if state.processIDs.count >= Self.maximumRememberedConnections { state.processIDs.removeAll() }
            state.processIDs[connection.id] = processID
        }
        return processID
    }

    /// Sends a cancel request for every registered statement whose budget is spent.
    private func cancelSpent() {
        state.withLock { state in
            for (token, statement) in state.running where statement.cancel == nil && statement.budget.isSpent {
                let processID = statement.processID
                state.running[token]?.cancel = Task { [canceller] in await canceller.cancel(processID) }
            }
        }
    }
}

/// One connection outside the pool that sends `pg_cancel_backend`, reconnecting when it fails.
actor PostgresCanceller {
    private let configuration: PostgresConfiguration
    private let tls: TLSConfiguration?
    private let logger: Logger
    /// The connection, or its opening: cancels that arrive while it opens wait for the same one
    /// (the actor is reentrant at every `await`, so two could otherwise open two).
    private var connection: Task<PostgresConnection, any Error>?
    private var isClosed = false

    init(configuration: PostgresConfiguration, tls: TLSConfiguration?, logger: Logger) {
        self.configuration = configuration
        self.tls = tls
        self.logger = logger
    }

    /// Asks the server to cancel what backend `processID` runs. A failure is logged: the
    /// request still stops at its next statement.
    func cancel(_ processID: Int32) async {
        for attempt in 1...2 {
            guard !isClosed else { return }
            let opening = connection ?? Task { [configuration, tls, logger] in
                try await PostgresDriver.connectDirectly(configuration, tls: tls, logger: logger)
            }
            connection = opening
            do {
                let open = try await opening.value
                var binds = PostgresBindings()
                binds.append(processID)
                _ = try await open.query(PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend($1)", binds: binds), logger: logger).collect()
                return
            } catch {
                if connection == opening {
                    connection = nil
                    try? await opening.value.close()
                }
                if attempt == 2 {
                    logger.warning("could not cancel a PostgreSQL statement past its request's budget: \(PostgresErrorTranslator.reason(error))")
                }
            }
        }
    }

    func close() async {
        isClosed = true
        let opening = connection
        connection = nil
        try? await opening?.value.close()
    }
}
