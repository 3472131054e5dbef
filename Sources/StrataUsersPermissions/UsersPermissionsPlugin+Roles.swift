import Hummingbird
import StrataAccess
import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema
import StrataHTTP

extension UsersPermissionsPlugin {
    /// Every action a role can be granted: every module's, in catalogue order.
    var knownActions: [String] { catalogue.value }

    func roleJSON(_ role: PermissionService.Role) async throws -> JSONObject {
        let document = try await documents(PermissionService.roleUID).findFirst(DocumentQuery(filters: .equals("id", .int(role.id))))
        var result = JSONObject()
        for key in ["id", "documentId", "name", "description", "type", "createdAt", "updatedAt", "publishedAt", "locale"] {
            result[key] = document?[key] ?? .null
        }
        return result
    }

    /// `GET /users-permissions/roles`: `{roles: [... nb_users]}` sorted by name.
    func listRoles(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var roles: [JSONValue] = []
        for role in try await permissions.allRoles() {
            var object = try await roleJSON(role)
            object["nb_users"] = .int(Int64(try await users.count(DocumentQuery(filters: .field("role", .nested(.equals("id", .int(role.id))))))))
            roles.append(.object(object))
        }
        return .json(["roles": .array(roles)])
    }

    /// `GET /users-permissions/roles/:id`: the role with its permissions tree.
    func findRole(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard let id = Int64(try context.parameters.require("id")), let role = try await permissions.role(id: id) else {
            throw NotFoundError("Role not found")
        }
        var object = try await roleJSON(role)
        object["permissions"] = Self.permissionTree(knownActions, enabled: try await permissions.actions(roleID: id))
        return .json(["role": .object(object)])
    }

    /// `GET /users-permissions/permissions`: every grantable action, none enabled.
    func listPermissions(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        return .json(["permissions": Self.permissionTree(knownActions, enabled: [])])
    }

    /// `POST /users-permissions/roles`: `{name, description, type?, permissions}` → `{ok: true}`.
    func createRole(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        let body = try await request.bodyObject(context: context)
        let name = try requireStrings(body, ["name"])["name"]!
        let type = body["type"]?.stringValue ?? Self.slug(name)
        if try await permissions.role(type: type) != nil { throw ApplicationError("Role type already exists") }
        let created = try await documents(PermissionService.roleUID).create(data: [
            "name": .string(name), "description": body["description"] ?? "", "type": .string(type),
        ])
        permissions.invalidate()
        if let id = created["id"]?.intValue {
            try await permissions.setActions(roleID: id, try actions(from: body["permissions"]))
        }
        return .json(["ok": true])
    }

    /// `PUT /users-permissions/roles/:role`.
    func updateRole(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard let id = Int64(try context.parameters.require("id")), let role = try await permissions.role(id: id) else {
            throw NotFoundError("Role not found")
        }
        var request = request
        let body = try await request.bodyObject(context: context)
        var changes = JSONObject()
        if let name = body["name"] { changes["name"] = name }
        if let description = body["description"] { changes["description"] = description }
        if !changes.isEmpty { _ = try await documents(PermissionService.roleUID).update(documentId: role.documentId, data: changes) }
        if body["permissions"] != nil {
            try await permissions.setActions(roleID: id, try actions(from: body["permissions"]))
        }
        permissions.invalidate()
        return .json(["ok": true])
    }

    /// `DELETE /users-permissions/roles/:role`: the Public role stays; users move to it.
    func deleteRole(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard let id = Int64(try context.parameters.require("id")), let role = try await permissions.role(id: id) else {
            throw NotFoundError("Role not found")
        }
        guard role.type != "public" else { throw ApplicationError("Cannot delete public role") }
        guard let publicRole = try await permissions.role(type: "public") else { throw NotFoundError("Role not found") }
        try await documents.database.transaction {
            for user in try await users.list(DocumentQuery(filters: .field("role", .nested(.equals("id", .int(id)))))) {
                if let userID = user["id"]?.intValue { _ = try await users.update(id: userID, ["role": .string(publicRole.documentId)]) }
            }
            try await permissions.setActions(roleID: id, [])
            try await documents(PermissionService.roleUID).delete(documentId: role.documentId)
        }
        permissions.invalidate()
        return .json(["ok": true])
    }

    /// Actions enabled in a permissions tree, checked against the grantable ones.
    func actions(from tree: JSONValue?) throws -> Set<String> {
        guard let tree, case .object(let namespaces) = tree else { return [] }
        var result = Set<String>()
        let known = Set(knownActions)
        for (namespace, value) in namespaces {
            guard case .object(let controllers)? = value["controllers"] else { continue }
            for (controller, actions) in controllers {
                guard case .object(let actionMap) = actions else { continue }
                for (action, settings) in actionMap where settings["enabled"] == .bool(true) {
                    let name = "\(namespace).\(controller).\(action)"
                    guard known.contains(name) else { throw ValidationError("Unknown permission \(name)") }
                    result.insert(name)
                }
            }
        }
        return result
    }

    /// Strapi's `{<namespace>: {controllers: {<controller>: {<action>: {enabled, policy}}}}}` tree.
    static func permissionTree(_ actions: [String], enabled: Set<String>) -> JSONValue {
        var tree = JSONObject()
        for action in actions {
            let pieces = action.split(separator: ".")
            guard pieces.count >= 3 else { continue }
            let namespace = pieces[0..<(pieces.count - 2)].joined(separator: ".")
            let controller = String(pieces[pieces.count - 2])
            let name = String(pieces[pieces.count - 1])
            var namespaceObject = tree[namespace]?.objectValue ?? ["controllers": [:]]
            var controllers = namespaceObject["controllers"]?.objectValue ?? [:]
            var controllerObject = controllers[controller]?.objectValue ?? [:]
            controllerObject[name] = ["enabled": .bool(enabled.contains(action)), "policy": ""]
            controllers[controller] = .object(controllerObject)
            namespaceObject["controllers"] = .object(controllers)
            tree[namespace] = .object(namespaceObject)
        }
        return .object(tree)
    }

    static func slug(_ name: String) -> String {
        name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { result, character in
            if character == "-" && result.hasSuffix("-") { return }
            result.append(character)
        }
    }
}
