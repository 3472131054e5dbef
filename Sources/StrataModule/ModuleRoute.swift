package import Hummingbird
package import HTTPTypes
package import StrataHTTP

/// One route of a module: where it is, the permission action it runs, the policies checked
/// before it, and its handler, which receives the action so that it is named once.
package struct ModuleRoute: Sendable {
    package typealias Handler = @Sendable (Request, StrataRequestContext, _ action: String) async throws -> Response

    package let method: HTTPRequest.Method
    /// The path under the API prefix, in Hummingbird's syntax (`users/:id`).
    package let path: String
    /// The permission action, e.g. `plugin::upload.content-api.find`.
    package let action: String
    /// Checked in order before the handler (rate limits, later Strapi route policies).
    package let policies: [any RoutePolicy]
    package let handler: Handler

    package init(_ method: HTTPRequest.Method, _ path: String, action: String, policies: [any RoutePolicy] = [], handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.action = action
        self.policies = policies
        self.handler = handler
    }

    /// Runs the policies, then the handler.
    package func respond(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        for policy in policies { try await policy.check(request, context) }
        return try await handler(request, context, action)
    }
}

/// A check a route runs before its handler (Strapi's route policies); throws to refuse.
package protocol RoutePolicy: Sendable {
    func check(_ request: Request, _ context: StrataRequestContext) async throws
}
