import StrataCore
import StrataDocuments
import StrataHTTP
import StrataSchema

/// What the collection-type and single-type controllers share: their repository and the
/// authorize-then-parse step every route starts with.
protocol ContentTypeController: Sendable {
    var api: ContentAPI { get }
    var contentType: ContentType { get }
}

extension ContentTypeController {
    func repository() throws -> DocumentRepository { try api.documents(contentType.uid) }

    /// Authorizes the route's action and returns query parameters limited to what the caller may read.
    func parameters(_ action: String, _ context: StrataRequestContext, _ raw: JSONObject) async throws -> QueryParameters {
        try await api.authorizer.authorize(context.identity, action: "\(contentType.uid.rawValue).\(action)")
        return try await api.queryParameters(for: contentType, identity: context.identity, query: raw)
    }
}
