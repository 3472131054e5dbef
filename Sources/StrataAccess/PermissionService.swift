public import StrataCore
public import StrataDocuments
import StrataDatabase

/// Users & Permissions roles and their allowed actions (`up_roles`, `up_permissions`).
public final class PermissionService: Sendable {
    public static let roleUID = try! UID("plugin::users-permissions.role")
    public static let permissionUID = try! UID("plugin::users-permissions.permission")

    public struct Role: Sendable, Equatable {
        public var id: Int64
        public var documentId: String
        public var name: String
        public var description: String?
        public var type: String
    }

    /// Actions Strapi grants on first start (its `users-permissions` bootstrap).
    public static let defaultPublicActions = ["callback", "connect", "forgotPassword", "resetPassword", "register", "emailConfirmation", "sendEmailConfirmation"]
        .map { "plugin::users-permissions.auth.\($0)" }
    public static let defaultAuthenticatedActions = ["plugin::users-permissions.user.me", "plugin::users-permissions.auth.changePassword"]

    let documents: DocumentService
    private let cache = TTLCache<Int64, Set<String>>()
    /// Roles by type.
    private let roleCache = TTLCache<String, Role?>()

    public init(documents: DocumentService) {
        self.documents = documents
    }

    var roles: DocumentRepository { get throws { try documents(Self.roleUID) } }
    var permissions: DocumentRepository { get throws { try documents(Self.permissionUID) } }

    /// Creates the Public and Authenticated roles and their default permissions when missing,
    /// and removes permissions for actions that no longer exist (Strapi's `syncPermissions`).
    public func bootstrap(knownActions: Set<String>) async throws {
        try await documents.database.transaction {
            if try await self.role(type: "authenticated") == nil {
                _ = try await self.roles.create(data: ["name": "Authenticated", "description": "Default role given to authenticated user.", "type": "authenticated"])
            }
            if try await self.role(type: "public") == nil {
                _ = try await self.roles.create(data: ["name": "Public", "description": "Default role given to unauthenticated user.", "type": "public"])
            }
            self.invalidate()
            if try await self.permissions.count() == 0 {
                for action in Self.defaultPublicActions { try await self.grant(roleType: "public", action: action) }
                for action in Self.defaultAuthenticatedActions { try await self.grant(roleType: "authenticated", action: action) }
            }
            // One bulk delete, like Strapi's `syncPermissions` (`db.query(...).deleteMany`): an imported
            // archive may carry thousands of permissions for actions this project does not have.
            var stale: [Int64] = []
            for row in try await self.permissions.findMany(DocumentQuery(fields: ["action"])) {
                guard let action = row["action"]?.stringValue, !knownActions.contains(action), let id = row["id"]?.intValue else { continue }
                stale.append(id)
            }
            try await self.documents.database.query(Self.permissionUID)?.deleteRows(ids: stale)
        }
        invalidate()
    }

    public func allRoles() async throws -> [Role] {
        try await roles.findMany(DocumentQuery(sort: [SortField(["name"])])).compactMap(Self.role(from:))
    }

    public func role(type: String) async throws -> Role? {
        if let cached = cachedRole(type: type) { return cached }
        return try await roleCache.value(for: type) {
            try await self.roles.findFirst(DocumentQuery(filters: .equals("type", .string(type)))).flatMap(Self.role(from:))
        }
    }

    public func role(id: Int64) async throws -> Role? {
        try await roles.findFirst(DocumentQuery(filters: .equals("id", .int(id)))).flatMap(Self.role(from:))
    }

    static func role(from document: Document) -> Role? {
        guard let id = document["id"]?.intValue, let documentId = document["documentId"]?.stringValue, let name = document["name"]?.stringValue else { return nil }
        return Role(id: id, documentId: documentId, name: name, description: document["description"]?.stringValue, type: document["type"]?.stringValue ?? "")
    }

    /// The role of this type when it was looked up less than a second ago (`.some(nil)`: there is none).
    public func cachedRole(type: String) -> Role?? {
        roleCache.cachedValue(for: type)
    }

    /// The actions of a role when they were read less than a second ago.
    public func cachedActions(roleID: Int64) -> Set<String>? {
        cache.cachedValue(for: roleID)
    }

    /// The actions a role may run.
    public func actions(roleID: Int64) async throws -> Set<String> {
        if let cached = cachedActions(roleID: roleID) { return cached }
        return try await cache.value(for: roleID) {
            let rows = try await self.permissions.findMany(DocumentQuery(filters: .field("role", .nested(.equals("id", .int(roleID)))), fields: ["action"]))
            return Set(rows.compactMap { $0["action"]?.stringValue })
        }
    }

    /// Grants `action` to the role of this type (`public`, `authenticated`, or a custom type).
    public func grant(roleType: String, action: String) async throws {
        guard let role = try await role(type: roleType) else { throw NotFoundError("Role \(roleType) not found") }
        if try await actions(roleID: role.id).contains(action) { return }
        _ = try await permissions.create(data: ["action": .string(action), "role": .string(role.documentId)])
        invalidate()
    }

    public func revoke(roleType: String, action: String) async throws {
        guard let role = try await role(type: roleType) else { throw NotFoundError("Role \(roleType) not found") }
        let rows = try await permissions.findMany(DocumentQuery(filters: Filter.equals("action", .string(action)).and(.field("role", .nested(.equals("id", .int(role.id)))))))
        for row in rows {
            if let documentId = row["documentId"]?.stringValue { try await permissions.delete(documentId: documentId) }
        }
        invalidate()
    }

    /// Replaces every permission of a role with `actions`.
    public func setActions(roleID: Int64, _ actions: Set<String>) async throws {
        guard let role = try await role(id: roleID) else { throw NotFoundError("Role not found") }
        try await documents.database.transaction {
            let current = try await self.actions(roleID: roleID)
            for action in actions.subtracting(current).sorted() {
                _ = try await self.permissions.create(data: ["action": .string(action), "role": .string(role.documentId)])
            }
            let rows = try await self.permissions.findMany(DocumentQuery(filters: .field("role", .nested(.equals("id", .int(roleID))))))
            for row in rows {
                guard let action = row["action"]?.stringValue, !actions.contains(action), let documentId = row["documentId"]?.stringValue else { continue }
                try await self.permissions.delete(documentId: documentId)
            }
        }
        invalidate()
    }

    public func invalidate() {
        cache.removeAll()
        roleCache.removeAll()
    }
}
