public import Hummingbird
import HTTPTypes
import StrataCore

/// `strapi::security`: adds the configured security headers to every response, errors and
/// preflights included. A header a deeper layer already set (the sandbox of an uploaded HTML
/// file) is kept.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    public let headers: SecurityHeaders

    public init(headers: SecurityHeaders) {
        self.headers = headers
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in headers.fields where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}

/// `strapi::poweredBy`: `X-Powered-By` on responses that did not fail (Strapi sets it after the
/// rest of the chain, so thrown errors go without it).
public struct PoweredByMiddleware<Context: RequestContext>: RouterMiddleware {
    public let value: String

    public init(value: String = "Strapi <strapi.io>") {
        self.value = value
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xPoweredBy] = value
        return response
    }
}

/// `strapi::responseTime`: `X-Response-Time: <ms, rounded up>ms`.
public struct ResponseTimeMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.xResponseTime] = "\(Int((ContinuousClock.now - start).milliseconds.rounded(.up)))ms"
        return response
    }
}

extension HTTPField.Name {
    static let xPoweredBy = HTTPField.Name("X-Powered-By")!
    static let xResponseTime = HTTPField.Name("X-Response-Time")!
}
