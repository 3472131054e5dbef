public import Hummingbird
public import StrataAccess
public import StrataCore
import StrataDocuments
public import StrataHTTP

/// Strapi's Content API strategies in order: API token, then Users & Permissions JWT, then the
/// Public role (when it has any permission), else unauthenticated.
public struct UsersPermissionsAuthenticator: RequestAuthenticator {
    let tokens: APITokenService
    let users: UserService
    let authorizer: ContentAPIAuthorizer
    let jwt: JSONWebToken
    let clock: any WallClock

    public init(tokens: APITokenService, users: UserService, authorizer: ContentAPIAuthorizer, jwt: JSONWebToken, clock: any WallClock) {
        self.tokens = tokens
        self.users = users
        self.authorizer = authorizer
        self.jwt = jwt
        self.clock = clock
    }

    public func authenticate(_ request: Request) async throws -> Identity? {
        guard let header = request.headers[.authorization] else {
            return try await authorizer.publicRoleIsActive() ? .publicRole : nil
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw UnauthorizedError("Invalid credentials")
        }
        let token = String(parts[1].filter { !$0.isWhitespace })
        if let identity = try await tokens.authenticate(token) { return identity }
        guard let claims = jwt.verify(token, now: clock.now()), let id = claims["id"]?.intValue,
            let user = try await users.user(id: id)
        else {
            throw UnauthorizedError("Invalid credentials")
        }
        if user["blocked"] == .bool(true) { throw UnauthorizedError("Invalid credentials") }
        if try await users.settings().emailConfirmation, user["confirmed"] != .bool(true) {
            throw UnauthorizedError("Invalid credentials")
        }
        guard let roleID = user["role"]?["id"]?.intValue else { throw UnauthorizedError("Invalid credentials") }
        return .user(id: id, roleID: roleID)
    }
}

