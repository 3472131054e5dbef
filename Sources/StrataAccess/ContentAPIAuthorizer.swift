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
        switch identity {
        case nil:
            return false
        case .unrestricted:
            return true
        case .publicRole:
            guard let role = try await permissions.role(type: "public") else { return false }
            return try await permissions.actions(roleID: role.id).contains(action)
        case .user(_, let roleID):
            return try await permissions.actions(roleID: roleID).contains(action)
        case .apiToken(let id, let type):
            switch type {
            case .fullAccess: return true
            case .readOnly: return action.hasSuffix(".find") || action.hasSuffix(".findOne")
            case .custom: return try await tokens.actions(tokenID: id).contains(action)
            }
        }
    }

    /// Whether unauthenticated requests are treated as the Public role (it has at least one
    /// permission) or refused with 401.
    public func publicRoleIsActive() async throws -> Bool {
        guard let role = try await permissions.role(type: "public") else { return false }
        return try await !permissions.actions(roleID: role.id).isEmpty
    }
}
