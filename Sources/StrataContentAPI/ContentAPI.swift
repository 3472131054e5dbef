import Hummingbird
import StrataCore
public import StrataDocuments
import StrataHTTP
package import StrataModule
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

    /// The routes Strapi generates for every `api::` content type, as module routes.
    package var routes: [ModuleRoute] {
        documents.registry.apiContentTypes.flatMap { type -> [ModuleRoute] in
            let actions = ContentTypeActions(type.uid)
            switch type.kind {
            case .collectionType:
                let controller = CollectionTypeController(operations: operations, contentType: type)
                let base = type.pluralName
                let item = "\(type.pluralName)/:id"
                return [
                    ModuleRoute(.get, base, action: actions.find) { request, context, action in try await controller.find(request, context, action) },
                    ModuleRoute(.get, item, action: actions.findOne) { request, context, action in try await controller.findOne(request, context, action) },
                    ModuleRoute(.post, base, action: actions.create) { request, context, action in try await controller.create(request, context, action) },
                    ModuleRoute(.put, item, action: actions.update) { request, context, action in try await controller.update(request, context, action) },
                    ModuleRoute(.delete, item, action: actions.delete) { request, context, action in try await controller.delete(request, context, action) },
                ]
            case .singleType:
                let controller = SingleTypeController(operations: operations, contentType: type)
                let base = type.singularName
                return [
                    ModuleRoute(.get, base, action: actions.find) { request, context, action in try await controller.find(request, context, action) },
                    ModuleRoute(.put, base, action: actions.update) { request, context, action in try await controller.update(request, context, action) },
                    ModuleRoute(.delete, base, action: actions.delete) { request, context, action in try await controller.delete(request, context, action) },
                ]
            }
        }
    }
}

extension ContentAPI: StrataModule {
    package var name: String { "content-api" }
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
