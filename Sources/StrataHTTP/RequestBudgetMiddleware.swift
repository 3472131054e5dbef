public import Hummingbird
import StrataCore

/// Gives each request a ``RequestBudget``: a time limit (`server.requestTimeout`), and, over a
/// real connection, the knowledge that its client left. The database stops a spent request's
/// work (before each statement, and SQLite's running statement), so slow or abandoned requests
/// cannot starve the rest; a request over its limit answers 503 `ServiceUnavailableError`.
///
/// Multipart uploads have no time limit (a large file may legitimately take long); they still
/// stop when their client leaves.
public struct RequestBudgetMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    public let limit: Duration?
    public let connections: ConnectionMonitors?

    public init(limit: Duration?, connections: ConnectionMonitors?) {
        self.limit = limit
        self.connections = connections
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isUpload = request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true
        let budget = RequestBudget(limit: isUpload ? nil : limit)
        let monitor = connections?.monitor(for: context.channel)
        monitor?.attach(budget)
        defer { monitor?.detach(budget) }
        do {
            return try await RequestBudget.$current.withValue(budget) { try await next(request, context) }
        } catch {
            // Whatever failed once the budget was spent failed because of it (an interrupted
            // statement, a cancelled wait): say so, rather than report a side effect.
            if let spent = budget.failure { throw spent }
            throw error
        }
    }
}
