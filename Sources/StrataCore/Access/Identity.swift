/// Who is calling the Content API, as the authentication strategies established it.
public enum Identity: Sendable, Hashable {
    /// No credentials: the Users & Permissions Public role.
    case publicRole
    /// A Users & Permissions end user with a role.
    case user(id: Int64, roleID: Int64)
    /// An API token.
    case apiToken(id: Int64, type: APITokenType)
    /// Every action allowed (tests, and projects that explicitly disable access control).
    case unrestricted
}

/// API token kinds, as Strapi names them.
public enum APITokenType: String, Sendable, Hashable, CaseIterable {
    case readOnly = "read-only"
    case fullAccess = "full-access"
    case custom
}

/// Decides whether an identity may run an action (`api::article.article.find`, …).
public protocol ActionAuthorizer: Sendable {
    /// Throws Strapi's 401 `UnauthorizedError` or 403 `ForbiddenError` when not allowed.
    func authorize(_ identity: Identity?, action: String) async throws
    /// Whether `identity` may run `action` (for populate and filter checks on related types).
    func permits(_ identity: Identity?, action: String) async throws -> Bool
    /// ``permits(_:action:)`` when it can be answered without suspending (from caches); `nil`
    /// otherwise. Callers then use the async methods.
    func cachedPermits(_ identity: Identity?, action: String) -> Bool?
}

extension ActionAuthorizer {
    public func cachedPermits(_ identity: Identity?, action: String) -> Bool? { nil }
}

/// Allows everything (used by tests, like Strapi's own test harness bypass).
public struct UnrestrictedAuthorizer: ActionAuthorizer {
    public init() {}
    public func authorize(_ identity: Identity?, action: String) async throws {}
    public func permits(_ identity: Identity?, action: String) async throws -> Bool { true }
    public func cachedPermits(_ identity: Identity?, action: String) -> Bool? { true }
}
