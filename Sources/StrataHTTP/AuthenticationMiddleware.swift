public import Hummingbird
public import StrataCore

/// Establishes who is calling (Strapi's authentication strategies, in order).
public protocol RequestAuthenticator: Sendable {
    /// The caller's identity; `nil` when unauthenticated; throws 401 for bad credentials.
    func authenticate(_ request: Request) async throws -> Identity?
}

/// Runs the authenticator before the routes of a group and stores the identity in the context.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    public let authenticator: any RequestAuthenticator

    public init(authenticator: any RequestAuthenticator) {
        self.authenticator = authenticator
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await authenticator.authenticate(request)
        return try await next(request, context)
    }
}

/// Treats every caller as allowed to do everything (tests; projects without access control).
public struct UnrestrictedAuthenticator: RequestAuthenticator {
    public init() {}
    public func authenticate(_ request: Request) async throws -> Identity? { .unrestricted }
}
