import Hummingbird
import StrataAccess
import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema
import StrataHTTP
import StrataOperations

extension UsersPermissionsPlugin {
    /// Query parameters (filters, sort, fields, populate, start/limit) on the user type.
    ///
    /// Related types are reachable (populate, filters, sort) only when the caller may read them,
    /// and the globally private attributes are hidden, as on every Content API route.
    func userQuery(_ request: Request, _ context: StrataRequestContext) async throws -> DocumentQuery {
        guard let type = documents.registry.contentType(UserService.userUID) else { throw NotFoundError() }
        // The route's own action was authorized already; this gates the types the query reaches.
        var access = OperationAccess(caller: Caller(identity: context.identity, origin: .contentAPI), scope: .everything)
        return try await operations.entityServiceQuery(type, query: QueryString.parse(request.uri.query), access: &access).query
    }

    func userID(_ context: StrataRequestContext, _ name: String = "id") throws -> Int64 {
        guard let id = Int64(try context.parameters.require(name)) else { throw NotFoundError() }
        return id
    }

    /// `GET /users/me`.
    func me(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard case .user(let id, _) = context.identity else { throw UnauthorizedError() }
        var query = try await userQuery(request, context)
        query.filters = .equals("id", .int(id))
        guard let user = try await users.list(query).first else { throw UnauthorizedError() }
        return .json(sanitize(user))
    }

    /// `GET /users`: a bare array.
    func findUsers(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        return .json(.array(try await users.list(try await userQuery(request, context)).map(sanitize)))
    }

    /// `GET /users/count`: a bare number.
    func countUsers(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        return .json(.int(Int64(try await users.count(try await userQuery(request, context)))))
    }

    func findUser(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var query = try await userQuery(request, context)
        query.filters = .equals("id", .int(try userID(context)))
        guard let user = try await users.list(query).first else { throw NotFoundError() }
        return .json(sanitize(user))
    }

    /// `POST /users` (an admin-like action): 201 with the created user.
    func createUser(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        var body = try await request.bodyObject(context: context)
        let values = try requireStrings(body, ["username", "email", "password"])
        try await checkUnique(username: values["username"], email: values["email"], excluding: nil)
        body["email"] = .string(values["email"]!.lowercased())
        try await resolveRole(&body)
        let user = try await users.create(body)
        return .json(sanitize(user), status: .created)
    }

    func updateUser(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        let id = try userID(context)
        guard try await users.user(id: id) != nil else { throw NotFoundError() }
        var request = request
        var body = try await request.bodyObject(context: context)
        for key in ["username", "email", "password"] where body[key] != nil {
            guard let text = body[key]?.stringValue, !text.isEmpty else { throw ValidationError("\(key) cannot be empty") }
        }
        try await checkUnique(username: body["username"]?.stringValue, email: body["email"]?.stringValue, excluding: id)
        try await resolveRole(&body)
        guard let user = try await users.update(id: id, body) else { throw NotFoundError() }
        return .json(sanitize(user))
    }

    func deleteUser(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard let user = try await users.delete(id: try userID(context)) else { throw NotFoundError() }
        return .json(sanitize(user))
    }

    func checkUnique(username: String?, email: String?, excluding id: Int64?) async throws {
        let others: Filter = id.map { .field("id", .operator(.ne, .int($0))) } ?? .all
        if let username, try await users.user(matching: Filter.equals("username", .string(username)).and(others)) != nil {
            throw ApplicationError("Username already taken")
        }
        if let email, try await users.settings().uniqueEmail,
            try await users.user(matching: Filter.equals("email", .string(email.lowercased())).and(others)) != nil
        {
            throw ApplicationError("Email already taken")
        }
    }

    /// `role` may be given as a role id, as Strapi's user API takes it.
    func resolveRole(_ body: inout JSONObject) async throws {
        guard let role = body["role"] else { return }
        let id = role.intValue ?? role["id"]?.intValue ?? role.stringValue.flatMap { Int64($0) }
        guard let id, let found = try await permissions.role(id: id) else { throw ValidationError("Invalid role") }
        body["role"] = .string(found.documentId)
    }
}
