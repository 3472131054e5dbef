public import Hummingbird

/// Applies the body limits to each request's context, before its body is read: `strapi::body`'s
/// `jsonLimit` for JSON bodies and `formLimit` for urlencoded ones when configured, else
/// `server.maxBodySize`. A body over its limit is a 413 as soon as it passes it.
public struct RequestLimitsMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    public let maxBodySize: Int
    public let jsonLimit: Int?
    public let formLimit: Int?

    public init(maxBodySize: Int, jsonLimit: Int? = nil, formLimit: Int? = nil) {
        self.maxBodySize = maxBodySize
        self.jsonLimit = jsonLimit
        self.formLimit = formLimit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodySize
        if jsonLimit != nil || formLimit != nil, let type = request.headers[.contentType]?.lowercased() {
            if type.hasPrefix("application/x-www-form-urlencoded") {
                context.maxUploadSize = formLimit ?? maxBodySize
            } else if !type.hasPrefix("multipart/") {
                context.maxUploadSize = jsonLimit ?? maxBodySize
            }
        } else if let jsonLimit, request.headers[.contentType] == nil {
            context.maxUploadSize = jsonLimit
        }
        return try await next(request, context)
    }
}
