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
}
