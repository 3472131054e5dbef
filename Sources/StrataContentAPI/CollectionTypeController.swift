import Hummingbird
import StrataCore
import StrataHTTP
import StrataOperations
import StrataSchema

/// `find`, `findOne`, `create`, `update` and `delete` for a collection type.
struct CollectionTypeController: ContentTypeController {
    let operations: ContentOperations
    let contentType: ContentType
    let actions: ContentTypeActions

    func find(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let page = try await operations.find(contentType, action: actions.find, query: request.strapiQuery, caller: context.caller)
        return .envelope(data: page.data, meta: ["pagination": .object(page.pagination)])
    }

    func findOne(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        return .envelope(data: try await operations.findOne(contentType, action: actions.findOne, documentId: documentId, query: request.strapiQuery, caller: context.caller))
    }

    func create(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let query = request.strapiQuery
        let document = try await operations.create(contentType, action: actions.create, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller)
        return .envelope(data: document, status: .created)
    }

    func update(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let documentId = try context.parameters.require("id")
        let query = request.strapiQuery
        return .envelope(data: try await operations.update(contentType, action: actions.update, documentId: documentId, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller))
    }

    func delete(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        try await operations.delete(contentType, action: actions.delete, documentId: documentId, query: request.strapiQuery, caller: context.caller)
        return .noContent()
    }
}
