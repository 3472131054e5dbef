import Crypto
import Foundation
public import StrataCore
import StrataDatabase
public import StrataDocuments

/// Strapi's API tokens (`strapi_api_tokens`): the raw key is 128 random bytes in hex, shown once;
/// only its HMAC-SHA512 under the API token salt is stored, so a leaked database does not leak keys.
public final class APITokenService: Sendable {
    public static let tokenUID = try! UID("admin::api-token")
    public static let permissionUID = try! UID("admin::api-token-permission")
    /// Lifespans Strapi accepts, in days (`nil` is unlimited).
    public static let lifespans: [Int?] = [nil, 7, 30, 90]

    let documents: DocumentService
    let salt: String
    private let cache = TTLCache<Int64, Set<String>>()

    public init(documents: DocumentService, salt: String) {
        self.documents = documents
        self.salt = salt
    }

    var tokens: DocumentRepository { get throws { try documents(Self.tokenUID) } }
    var tokenPermissions: DocumentRepository { get throws { try documents(Self.permissionUID) } }

    /// The stored form of a raw key.
    public func hash(_ accessKey: String) -> String {
        let code = HMAC<SHA512>.authenticationCode(for: Data(accessKey.utf8), using: SymmetricKey(data: Data(salt.utf8)))
        return code.hexString
    }

    /// Creates a token and returns it with its raw `accessKey` (the only time it is available).
    public func create(name: String, description: String = "", type: APITokenType, permissions: [String] = [], lifespanDays: Int? = nil, knownActions: Set<String>) async throws -> (token: Document, accessKey: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ValidationError("name must be defined.") }
        guard Self.lifespans.contains(lifespanDays) else {
            throw ValidationError("lifespan must be one of the following values: null, 7, 30, 90 (days)")
        }
        if type != .custom && !permissions.isEmpty { throw ValidationError("Non-custom tokens should not reference permissions") }
        let unknown = permissions.filter { !knownActions.contains($0) }
        if !unknown.isEmpty { throw ValidationError("Unknown permissions provided: \(unknown.joined(separator: ", "))") }
        if try await tokens.count(DocumentQuery(filters: .equals("name", .string(trimmed)))) > 0 {
            throw ValidationError("Name already taken")
        }
        let accessKey = Secrets.hex(bytes: 128)
        let now = documents.clock.now()
        var data: JSONObject = ["name": .string(trimmed), "description": .string(description), "type": .string(type.rawValue), "accessKey": .string(hash(accessKey))]
        if let days = lifespanDays {
            let milliseconds = Int64(days) * 24 * 60 * 60 * 1000
            data["lifespan"] = .string(String(milliseconds))
            data["expiresAt"] = .string(Timestamp(millisecondsSince1970: now.millisecondsSince1970 + milliseconds).iso8601)
        }
        let values = data
        let token = try await documents.database.transaction {
            let created = try await self.tokens.create(data: values)
            for action in permissions {
                _ = try await self.tokenPermissions.create(data: ["action": .string(action), "token": created["documentId"] ?? .null])
            }
            return created
        }
        return (try await describe(token), accessKey)
    }

    /// Tokens in name order, in Strapi's response shape (no key).
    public func list() async throws -> [Document] {
        var result: [Document] = []
        for token in try await tokens.findMany(DocumentQuery(sort: [SortField(["name"])])) { result.append(try await describe(token)) }
        return result
    }

    /// Deletes the token with this id or name; returns it, or `nil` when there is none.
    public func revoke(_ idOrName: String) async throws -> Document? {
        let filter: Filter = Int64(idOrName).map { .equals("id", .int($0)) } ?? .equals("name", .string(idOrName))
        guard let token = try await tokens.findFirst(DocumentQuery(filters: filter)), let documentId = token["documentId"]?.stringValue else { return nil }
        let described = try await describe(token)
        try await documents.database.transaction {
            for permission in try await self.tokenPermissions.findMany(DocumentQuery(filters: .field("token", .nested(.equals("id", token["id"] ?? .null))))) {
                if let id = permission["documentId"]?.stringValue { try await self.tokenPermissions.delete(documentId: id) }
            }
            try await self.tokens.delete(documentId: documentId)
        }
        cache.removeAll()
        return described
    }

    /// The identity for a presented key: `nil` when no token matches; 401 `Token expired` past its expiry.
    public func authenticate(_ accessKey: String) async throws -> Identity? {
        guard let token = try await tokens.findFirst(DocumentQuery(filters: .equals("accessKey", .string(hash(accessKey))))),
            let id = token["id"]?.intValue
        else { return nil }
        let now = documents.clock.now()
        if let expires = token["expiresAt"]?.stringValue.flatMap(Timestamp.init(iso8601:)), expires <= now {
            throw UnauthorizedError("Token expired")
        }
        let lastUsed = token["lastUsedAt"]?.stringValue.flatMap(Timestamp.init(iso8601:))
        if lastUsed.map({ now.millisecondsSince1970 - $0.millisecondsSince1970 >= 3_600_000 }) ?? true, let documentId = token["documentId"]?.stringValue {
            _ = try await tokens.update(documentId: documentId, data: ["lastUsedAt": .string(now.iso8601)])
        }
        let type = APITokenType(rawValue: token["type"]?.stringValue ?? "") ?? .readOnly
        return .apiToken(id: id, type: type)
    }

    /// The actions of a custom token.
    /// The actions of a custom token when they were read less than a second ago.
    public func cachedActions(tokenID: Int64) -> Set<String>? {
        cache.cachedValue(for: tokenID)
    }

    public func actions(tokenID: Int64) async throws -> Set<String> {
        if let cached = cachedActions(tokenID: tokenID) { return cached }
        return try await cache.value(for: tokenID) {
            let rows = try await self.tokenPermissions.findMany(DocumentQuery(filters: .field("token", .nested(.equals("id", .int(tokenID)))), fields: ["action"]))
            return Set(rows.compactMap { $0["action"]?.stringValue })
        }
    }

    /// Strapi's token fields plus the permission actions.
    func describe(_ token: Document) async throws -> Document {
        var result = JSONObject()
        for key in ["id", "documentId", "name", "description", "type", "lastUsedAt", "expiresAt", "lifespan", "createdAt", "updatedAt"] {
            result[key] = token[key] ?? .null
        }
        if let lifespan = token["lifespan"]?.stringValue, let number = Int64(lifespan) { result["lifespan"] = .int(number) }
        var actions: Set<String> = []
        if let id = token["id"]?.intValue { actions = try await self.actions(tokenID: id) }
        result["permissions"] = .array(actions.sorted().map { JSONValue.string($0) })
        return result
    }
}
