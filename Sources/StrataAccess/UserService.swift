import HummingbirdBcrypt
public import StrataCore
public import StrataDatabase
public import StrataDocuments

/// Users & Permissions end users (`up_users`) and the plugin's advanced settings.
public final class UserService: Sendable {
    public static let userUID = try! UID("plugin::users-permissions.user")
    static let advancedKey = "plugin_users-permissions_advanced"

    /// The "Advanced settings" of Users & Permissions (core store `plugin_users-permissions_advanced`).
    public struct AdvancedSettings: Sendable, Equatable {
        public var uniqueEmail = true
        public var allowRegister = true
        public var emailConfirmation = false
        public var emailResetPassword: String?
        public var emailConfirmationRedirection: String?
        public var defaultRole = "authenticated"

        public init() {}

        var json: JSONValue {
            [
                "unique_email": .bool(uniqueEmail), "allow_register": .bool(allowRegister), "email_confirmation": .bool(emailConfirmation),
                "email_reset_password": emailResetPassword.map { .string($0) } ?? .null,
                "email_confirmation_redirection": emailConfirmationRedirection.map { .string($0) } ?? .null,
                "default_role": .string(defaultRole),
            ]
        }

        init(json: JSONValue?) {
            guard let json else { return }
            uniqueEmail = json["unique_email"]?.boolValue ?? true
            allowRegister = json["allow_register"]?.boolValue ?? true
            emailConfirmation = json["email_confirmation"]?.boolValue ?? false
            emailResetPassword = json["email_reset_password"]?.stringValue
            emailConfirmationRedirection = json["email_confirmation_redirection"]?.stringValue
            defaultRole = json["default_role"]?.stringValue ?? "authenticated"
        }
    }

    let documents: DocumentService
    let permissions: PermissionService
    let store: CoreStore

    public init(documents: DocumentService, permissions: PermissionService) {
        self.documents = documents
        self.permissions = permissions
        self.store = CoreStore(client: documents.database.client)
    }

    var users: DocumentRepository { get throws { try documents(Self.userUID) } }

    public func bootstrap() async throws {
        if try await store.get(Self.advancedKey) == nil {
            try await store.set(Self.advancedKey, AdvancedSettings().json)
        }
    }

    public func settings() async throws -> AdvancedSettings {
        AdvancedSettings(json: try await store.get(Self.advancedKey))
    }

    public func updateSettings(_ settings: AdvancedSettings) async throws {
        try await store.set(Self.advancedKey, settings.json)
    }

    /// A user with its role populated (as stored: includes private fields).
    public func user(id: Int64) async throws -> Document? {
        try await users.findFirst(DocumentQuery(filters: .equals("id", .int(id)), populate: Populate([("role", .all)])))
    }

    /// The local user matching an email (case-insensitively) or a username.
    public func user(identifier: String) async throws -> Document? {
        let filter = Filter.equals("provider", "local").and(.or([.equals("email", .string(identifier.lowercased())), .equals("username", .string(identifier))]))
        return try await users.findFirst(DocumentQuery(filters: filter, populate: Populate([("role", .all)])))
    }

    public func user(matching filter: Filter) async throws -> Document? {
        try await users.findFirst(DocumentQuery(filters: filter, populate: Populate([("role", .all)])))
    }

    /// Checks a plain password against the user's stored bcrypt hash (`$2a$` hashes from Strapi work too).
    public func verifyPassword(_ password: String, of user: Document) -> Bool {
        guard let hash = user["password"]?.stringValue, !hash.isEmpty else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// Creates a user; `role` defaults to the configured default role.
    public func create(_ data: JSONObject, roleType: String? = nil) async throws -> Document {
        var values = data
        if let email = values["email"]?.stringValue { values["email"] = .string(email.lowercased()) }
        if values["provider"] == nil { values["provider"] = "local" }
        if values["role"] == nil {
            let type: String
            if let roleType { type = roleType } else { type = try await settings().defaultRole }
            guard let role = try await permissions.role(type: type) else { throw ApplicationError("Impossible to find the default role") }
            values["role"] = .string(role.documentId)
        }
        let created = try await users.create(data: values)
        return try await user(id: created["id"]?.intValue ?? 0) ?? created
    }

    public func update(id: Int64, _ data: JSONObject) async throws -> Document? {
        guard let existing = try await user(id: id), let documentId = existing["documentId"]?.stringValue else { return nil }
        var values = data
        if let email = values["email"]?.stringValue { values["email"] = .string(email.lowercased()) }
        _ = try await users.update(documentId: documentId, data: values)
        return try await user(id: id)
    }

    public func delete(id: Int64) async throws -> Document? {
        guard let existing = try await user(id: id), let documentId = existing["documentId"]?.stringValue else { return nil }
        try await users.delete(documentId: documentId)
        return existing
    }

    public func list(_ query: DocumentQuery) async throws -> [Document] {
        try await users.findMany(query)
    }

    public func count(_ query: DocumentQuery) async throws -> Int {
        try await users.count(query)
    }
}
