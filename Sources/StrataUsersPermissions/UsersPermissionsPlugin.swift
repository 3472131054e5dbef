import Hummingbird
public import StrataAccess
import StrataCore
public import StrataDocuments
import StrataHTTP
package import StrataModule
import HTTPTypes
package import StrataOperations

/// The Users & Permissions plugin's Content API: `/auth/*`, `/users`, `/users-permissions/*`,
/// with Strapi's request and response shapes (bare JSON, not the `{data, meta}` envelope).
public struct UsersPermissionsPlugin: Sendable {
    public let documents: DocumentService
    public let users: UserService
    public let permissions: PermissionService
    public let authorizer: ContentAPIAuthorizer
    public let jwt: JSONWebToken
    public let configuration: UsersPermissionsConfiguration
    public let email: any EmailProvider
    let sanitizer: OutputSanitizer
    /// Every permission action of the application, in catalogue order (set at bootstrap from
    /// the module registry): what roles can be granted and the permissions tree lists.
    let catalogue = LockedValue<[String]>([])
    /// Parses and gates `/users` queries as every content operation does.
    package let operations: ContentOperations

    public init(documents: DocumentService, users: UserService, permissions: PermissionService, authorizer: ContentAPIAuthorizer, configuration: UsersPermissionsConfiguration, email: any EmailProvider, privateAttributes: [String] = []) {
        self.documents = documents
        self.users = users
        self.permissions = permissions
        self.authorizer = authorizer
        self.jwt = JSONWebToken(secret: configuration.jwtSecret)
        self.configuration = configuration
        self.email = email
        self.sanitizer = OutputSanitizer(registry: documents.registry, globalPrivateAttributes: privateAttributes)
        self.operations = ContentOperations(
            documents: documents, configuration: ContentAPIConfiguration(privateAttributes: privateAttributes),
            access: AuthorizerAccessPolicy(authorizer: authorizer, registry: documents.registry))
    }

    /// The permission action of a plugin route (`user.me` → `plugin::users-permissions.user.me`).
    static func action(_ name: String) -> String { "plugin::users-permissions.\(name)" }

    /// The plugin's routes under the API prefix, with Strapi's permission actions. The `/auth`
    /// routes are rate limited per client and path.
    package var routes: [ModuleRoute] {
        let limit: [any RoutePolicy] = [RateLimitPolicy(max: configuration.rateLimitMax, intervalMilliseconds: configuration.rateLimitInterval)]
        func route(_ method: HTTPRequest.Method, _ path: String, _ name: String, policies: [any RoutePolicy] = [], _ handler: @escaping ModuleRoute.Handler) -> ModuleRoute {
            ModuleRoute(method, path, action: Self.action(name), policies: policies, handler: handler)
        }
        return [
            route(.post, "auth/local", "auth.callback", policies: limit) { try await login($0, $1, $2) },
            route(.post, "auth/forgot-password", "auth.forgotPassword", policies: limit) { try await forgotPassword($0, $1, $2) },
            route(.post, "auth/reset-password", "auth.resetPassword", policies: limit) { try await resetPassword($0, $1, $2) },
            route(.post, "auth/local/register", "auth.register", policies: limit) { try await register($0, $1, $2) },
            route(.get, "auth/email-confirmation", "auth.emailConfirmation", policies: limit) { try await emailConfirmation($0, $1, $2) },
            route(.post, "auth/send-email-confirmation", "auth.sendEmailConfirmation", policies: limit) { try await sendEmailConfirmation($0, $1, $2) },
            route(.post, "auth/change-password", "auth.changePassword", policies: limit) { try await changePassword($0, $1, $2) },
            route(.get, "users/me", "user.me") { try await me($0, $1, $2) },
            route(.get, "users", "user.find") { try await findUsers($0, $1, $2) },
            route(.get, "users/:id", "user.findOne") { try await findUser($0, $1, $2) },
            route(.get, "users/count", "user.count") { try await countUsers($0, $1, $2) },
            route(.post, "users", "user.create") { try await createUser($0, $1, $2) },
            route(.put, "users/:id", "user.update") { try await updateUser($0, $1, $2) },
            route(.delete, "users/:id", "user.destroy") { try await deleteUser($0, $1, $2) },
            route(.get, "users-permissions/roles", "role.find") { try await listRoles($0, $1, $2) },
            route(.get, "users-permissions/roles/:id", "role.findOne") { try await findRole($0, $1, $2) },
            route(.post, "users-permissions/roles", "role.createRole") { try await createRole($0, $1, $2) },
            route(.put, "users-permissions/roles/:id", "role.updateRole") { try await updateRole($0, $1, $2) },
            route(.delete, "users-permissions/roles/:id", "role.deleteRole") { try await deleteRole($0, $1, $2) },
            route(.get, "users-permissions/permissions", "permissions.getPermissions") { try await listPermissions($0, $1, $2) },
        ]
    }

    func authorize(_ context: StrataRequestContext, _ action: String) async throws {
        try await authorizer.authorize(context.identity, action: action)
    }

    /// A user as the API returns it: private fields (password, tokens) removed.
    func sanitize(_ user: Document) -> JSONValue {
        .object(sanitizer.sanitize(user, uid: UserService.userUID))
    }

    func issueToken(for user: Document) -> String {
        jwt.sign(["id": user["id"] ?? .null], now: documents.clock.now(), expiresIn: configuration.jwtExpiresIn)
    }

    /// A user without its populated role, as Strapi's auth responses show it.
    func publicUser(_ user: Document) -> JSONValue {
        var copy = user
        copy.removeValue(forKey: "role")
        return sanitize(copy)
    }
}

extension Request {
    /// The JSON (or form) body as an object; `{}` when empty.
    mutating func bodyObject(context: StrataRequestContext) async throws -> JSONObject {
        guard let body = try await decodeJSONBody(context: context) else { return [:] }
        guard case .object(let object) = body else { throw ValidationError("The request body must be an object") }
        return object
    }
}

/// yup-style checks of required string fields, reported together.
func requireStrings(_ body: JSONObject, _ names: [String]) throws -> [String: String] {
    var values: [String: String] = [:]
    var errors: [ValidationError.FieldError] = []
    for name in names {
        if let text = body[name]?.stringValue, !text.isEmpty {
            values[name] = text
        } else {
            errors.append(.init(path: [name], message: "\(name) is a required field"))
        }
    }
    if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
    return values
}
