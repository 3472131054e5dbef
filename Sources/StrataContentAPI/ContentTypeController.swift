import StrataCore
import StrataDocuments
import StrataHTTP
import StrataSchema

/// What the collection-type and single-type controllers share: their repository and the
/// authorize-then-parse step every route starts with.
protocol ContentTypeController: Sendable {
    var api: ContentAPI { get }
    var contentType: ContentType { get }
    var actions: ContentTypeActions { get }
}

/// The permission actions of a content type's routes (`api::article.article.findOne`), named once.
struct ContentTypeActions: Sendable {
    let find, findOne, create, update, delete: String

    init(_ uid: UID) {
        let prefix = uid.rawValue + "."
        find = prefix + "find"
        findOne = prefix + "findOne"
        create = prefix + "create"
        update = prefix + "update"
        delete = prefix + "delete"
    }
}

extension ContentTypeController {
    func repository() throws -> DocumentRepository { try api.documents(contentType.uid) }

    /// Authorizes the route's action and returns query parameters limited to what the caller may read.
    ///
    /// Nearly every request finds its permission cached and has neither populate nor filters to
    /// check against other types: then nothing here suspends.
    func parameters(_ action: String, _ context: StrataRequestContext, _ raw: JSONObject) async throws -> QueryParameters {
        if context.identity == nil || api.authorizer.cachedPermits(context.identity, action: action) != true {
            try await api.authorizer.authorize(context.identity, action: action)
        }
        if let parameters = try api.plainQueryParameters(for: contentType, query: raw) { return parameters }
        return try await api.queryParameters(for: contentType, identity: context.identity, query: raw)
    }

    /// A write body without the relations the caller may not link (types it cannot read), as
    /// Strapi's input sanitizer removes them. Bodies that name no related type cost nothing.
    func writableData(_ data: JSONObject, _ context: StrataRequestContext) async throws -> JSONObject {
        guard context.identity != .unrestricted, contentType.attributes.contains(where: \.linksEntries),
            let readable = try await api.readableModels(context.identity)
        else { return data }
        return RestrictedRelations.remove(from: data, uid: contentType.uid, registry: api.documents.registry, readable: readable)
    }
}

extension Attribute {
    /// Relations, media, and the components and dynamic zones that may hold them.
    var linksEntries: Bool {
        switch kind {
        case .relation, .media, .component, .dynamiczone: return true
        default: return false
        }
    }
}
