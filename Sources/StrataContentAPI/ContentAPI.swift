package import Hummingbird
import StrataCore
public import StrataDocuments
package import StrataHTTP
package import StrataOperations
import StrataSchema

/// The REST Content API: Strapi's generated routes for every `api::` content type.
///
/// The controllers are thin adapters over ``ContentOperations``: read the route's parameters
/// and body, run the operation as the request's caller, wrap the answer in `{data, meta}`.
public struct ContentAPI: Sendable {
    package let operations: ContentOperations

    package init(operations: ContentOperations) {
        self.operations = operations
    }

    public var documents: DocumentService { operations.documents }
    package var configuration: ContentAPIConfiguration { operations.configuration }

    /// The routes this API serves.
    package var routes: [RouteDescription] {
        RouteDescription.contentAPI(for: documents.registry, configuration: configuration)
    }

    /// Adds every content type's routes to `router`, a group mounted at the API prefix.
    package func register(on router: some RouterMethods<StrataRequestContext>) {
        for type in documents.registry.apiContentTypes {
            switch type.kind {
            case .collectionType:
                let controller = CollectionTypeController(operations: operations, contentType: type, actions: ContentTypeActions(type.uid))
                let base = RouterPath(type.pluralName)
                let item = RouterPath("\(type.pluralName)/:id")
                router.get(base) { request, context in try await controller.find(request, context) }
                router.post(base) { request, context in try await controller.create(request, context) }
                router.get(item) { request, context in try await controller.findOne(request, context) }
                router.put(item) { request, context in try await controller.update(request, context) }
                router.delete(item) { request, context in try await controller.delete(request, context) }
            case .singleType:
                let controller = SingleTypeController(operations: operations, contentType: type, actions: ContentTypeActions(type.uid))
                let base = RouterPath(type.singularName)
                router.get(base) { request, context in try await controller.find(request, context) }
                router.put(base) { request, context in try await controller.update(request, context) }
                router.delete(base) { request, context in try await controller.delete(request, context) }
            }
        }
    }
}

extension Request {
    /// The decoded query string.
    var strapiQuery: JSONObject {
        QueryString.parse(uri.query)
    }

    /// The `data` object of a write body, as Strapi requires it.
    mutating func dataPayload(context: StrataRequestContext) async throws -> JSONObject {
        guard let body = try await decodeJSONBody(context: context), case .object(let object) = body,
            case .object(let data)? = object["data"]
        else {
            throw ValidationError("Missing \"data\" payload in the request body")
        }
        return data
    }
}

extension StrataRequestContext {
    /// Who sent the request, for the operations layer.
    var caller: Caller { Caller(identity: identity, origin: .contentAPI) }
}
