public import StrataCore

/// Strapi's Content API authorization (`verify` of each strategy): the Public role's or the
/// user's role's permissions, or the API token's type and permissions.
public struct ContentAPIAuthorizer: ActionAuthorizer {
    let permissions: PermissionService
    let tokens: APITokenService

    public init(permissions: PermissionService, tokens: APITokenService) {
        self.permissions = permissions
        self.tokens = tokens
    }

    public func authorize(_ identity: Identity?, action: String) async throws {
        guard let identity else { throw UnauthorizedError("Missing or invalid credentials") }
        guard try await permits(identity, action: action) else { throw ForbiddenError() }
    }

    public func permits(_ identity: Identity?, action: String) async throws -> Bool {
        if let known = cachedPermits(identity, action: action) { return known }
        // Only what reads permissions gets here.
        switch identity {
        case .publicRole:
            guard let role = try await permissions.role(type: "public") else { return false }
            return try await permissions.actions(roleID: role.id).contains(action)
        case .user(_, let roleID):
            return try await permissions.actions(roleID: roleID).contains(action)
        case .apiToken(let id, .custom):
            return try await tokens.actions(tokenID: id).contains(action)
        case nil, .unrestricted, .apiToken:
            // Answered without reading anything.
            return cachedPermits(identity, action: action) ?? false
        }
    }

    /// ``permits(_:action:)`` from what the permission caches hold, without suspending; `nil`
    /// when something must be read first. Every request checks permissions, and nearly always
    /// finds them cached.
    public func cachedPermits(_ identity: Identity?, action: String) -> Bool? {
        switch identity {
        case nil: return false
        case .unrestricted: return true
        case .publicRole:
            guard let role = permissions.cachedRole(type: "public") else { return nil }
            guard let role else { return false }
            return permissions.cachedActions(roleID: role.id)?.contains(action)
        case .user(_, let roleID):
            return permissions.cachedActions(roleID: roleID)?.contains(action)
        case .apiToken(let id, let type):
            switch type {
            case .fullAccess: return true
            case .readOnly: return action.hasSuffix(".find") || action.hasSuffix(".findOne")
            case .custom: return tokens.cachedActions(tokenID: id)?.contains(action)
            }
        }
    }

    /// Whether unauthenticated requests are treated as the Public role (it has at least one
    /// permission) or refused with 401.
    public func publicRoleIsActive() async throws -> Bool {
        if let role = permissions.cachedRole(type: "public") {
            guard let role else { return false }
            if let actions = permissions.cachedActions(roleID: role.id) { return !actions.isEmpty }
        }
        guard let role = try await permissions.role(type: "public") else { return false }
        return try await !permissions.actions(roleID: role.id).isEmpty
    }
}
