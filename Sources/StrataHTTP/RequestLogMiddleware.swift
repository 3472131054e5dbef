public import Hummingbird
public import Logging
import StrataCore

/// Logs one line per request: method, path, status and duration (like Strapi's `http:` lines).
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    public let level: Logger.Level

    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let rounded = ((ContinuousClock.now - start).milliseconds * 10).rounded() / 10
        context.logger.log(level: level, "\(request.method) \(request.uri.path) \(response.status.code) (\(rounded) ms)")
        return response
    }
}
