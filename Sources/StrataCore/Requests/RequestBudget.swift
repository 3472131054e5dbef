/// How long a request may keep the database busy, and whether its client is still there.
///
/// The HTTP layer makes one per request and binds it to ``current`` while the request runs; the
/// database client checks it before every statement, and the SQLite driver while a statement
/// runs, so a request past its time limit, or whose client has closed the connection, stops
/// instead of holding a connection while others queue behind it.
public final class RequestBudget: Sendable {
    /// The budget of the running request, if any (none for the CLI and start-up work).
    @TaskLocal public static var current: RequestBudget?

    /// When the request must be done; `nil`: no time limit.
    public let deadline: ContinuousClock.Instant?
    /// The limit, for the error message.
    public let limit: Duration?
    private let abandoned = LockedValue(false)

    public init(limit: Duration?, now: ContinuousClock.Instant = .now) {
        self.limit = limit
        deadline = limit.map { now + $0 }
    }

    /// The client closed its connection: nobody will read the answer.
    public func abandon() {
        abandoned.withLock { $0 = true }
    }

    public var isAbandoned: Bool { abandoned.value }

    /// Whether work for this request should stop now.
    public var isSpent: Bool {
        if isAbandoned { return true }
        if let deadline { return ContinuousClock.now >= deadline }
        return false
    }

    /// Throws when the request should stop: its client is gone (``CancellationError``) or its
    /// time is up (``ServiceUnavailableError``).
    public func check() throws {
        if let failure { throw failure }
    }

    /// The error a spent budget stops work with; `nil` while there is budget left.
    public var failure: (any Error)? {
        if isAbandoned { return CancellationError() }
        if let deadline, let limit, ContinuousClock.now >= deadline {
            return ServiceUnavailableError("The request took longer than \(Int64(limit.milliseconds)) ms and was stopped")
        }
        return nil
    }
}

/// The server could not finish the request in time (503), as koa's `http-errors` names it.
public struct ServiceUnavailableError: StrataError {
    public let message: String
    public var name: String { "ServiceUnavailableError" }
    public var status: Int { 503 }

    public init(_ message: String = "Service Unavailable") { self.message = message }
}
