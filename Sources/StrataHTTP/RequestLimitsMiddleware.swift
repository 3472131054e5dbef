public import Hummingbird

/// Applies the configured request body limit to every request's context.
public struct RequestLimitsMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    public let maxBodySize: Int

    public init(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodySize
        return try await next(request, context)
    }
}
