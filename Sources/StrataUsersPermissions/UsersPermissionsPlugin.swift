public import Hummingbird
public import StrataAccess
import StrataCore
public import StrataDocuments
public import StrataHTTP
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

    /// The plugin's permission actions, as Strapi names them.
    public static let actions: [String] = {
        let auth = ["callback", "connect", "forgotPassword", "resetPassword", "register", "emailConfirmation", "sendEmailConfirmation", "changePassword"]
            .map { "plugin::users-permissions.auth.\($0)" }
        let user = ["me", "find", "findOne", "count", "create", "update", "destroy"].map { "plugin::users-permissions.user.\($0)" }
        let role = ["find", "findOne", "createRole", "updateRole", "deleteRole"].map { "plugin::users-permissions.role.\($0)" }
        return auth + user + role + ["plugin::users-permissions.permissions.getPermissions"]
    }()

    /// Routes, for `routes:list`.
    public static let routes: [(method: String, path: String, action: String)] = [
        ("POST", "/auth/local", "auth.callback"), ("POST", "/auth/local/register", "auth.register"),
        ("POST", "/auth/forgot-password", "auth.forgotPassword"), ("POST", "/auth/reset-password", "auth.resetPassword"),
        ("POST", "/auth/change-password", "auth.changePassword"), ("GET", "/auth/email-confirmation", "auth.emailConfirmation"),
        ("POST", "/auth/send-email-confirmation", "auth.sendEmailConfirmation"),
        ("GET", "/users/me", "user.me"), ("GET", "/users/count", "user.count"), ("GET", "/users", "user.find"),
        ("GET", "/users/:id", "user.findOne"), ("POST", "/users", "user.create"), ("PUT", "/users/:id", "user.update"),
        ("DELETE", "/users/:id", "user.destroy"),
        ("GET", "/users-permissions/roles", "role.find"), ("GET", "/users-permissions/roles/:id", "role.findOne"),
        ("POST", "/users-permissions/roles", "role.createRole"), ("PUT", "/users-permissions/roles/:id", "role.updateRole"),
        ("DELETE", "/users-permissions/roles/:id", "role.deleteRole"), ("GET", "/users-permissions/permissions", "permissions.getPermissions"),
    ].map { ($0.0, $0.1, "plugin::users-permissions.\($0.2)") }

    /// Adds the routes to a group mounted at the API prefix.
    public func register(on router: some RouterMethods<StrataRequestContext>) {
        let auth = router.group("auth").add(middleware: RateLimitMiddleware(max: configuration.rateLimitMax, intervalMilliseconds: configuration.rateLimitInterval))
        auth.post("local") { request, context in try await login(request, context) }
        auth.post("local/register") { request, context in try await register(request, context) }
        auth.post("forgot-password") { request, context in try await forgotPassword(request, context) }
        auth.post("reset-password") { request, context in try await resetPassword(request, context) }
        auth.post("change-password") { request, context in try await changePassword(request, context) }
        auth.get("email-confirmation") { request, context in try await emailConfirmation(request, context) }
        auth.post("send-email-confirmation") { request, context in try await sendEmailConfirmation(request, context) }
        router.get("users/me") { request, context in try await me(request, context) }
        router.get("users/count") { request, context in try await countUsers(request, context) }
        router.get("users") { request, context in try await findUsers(request, context) }
        router.get("users/:id") { request, context in try await findUser(request, context) }
        router.post("users") { request, context in try await createUser(request, context) }
        router.put("users/:id") { request, context in try await updateUser(request, context) }
        router.delete("users/:id") { request, context in try await deleteUser(request, context) }
        router.get("users-permissions/roles") { request, context in try await listRoles(request, context) }
        router.get("users-permissions/roles/:id") { request, context in try await findRole(request, context) }
        router.post("users-permissions/roles") { request, context in try await createRole(request, context) }
        router.put("users-permissions/roles/:id") { request, context in try await updateRole(request, context) }
        router.delete("users-permissions/roles/:id") { request, context in try await deleteRole(request, context) }
        router.get("users-permissions/permissions") { request, context in try await listPermissions(request, context) }
    }

    func authorize(_ context: StrataRequestContext, _ action: String) async throws {
        try await authorizer.authorize(context.identity, action: "plugin::users-permissions.\(action)")
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
