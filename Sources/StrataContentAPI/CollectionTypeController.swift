import Hummingbird
import StrataCore
import StrataHTTP
import StrataOperations
import StrataSchema

/// `find`, `findOne`, `create`, `update` and `delete` for a collection type.
struct CollectionTypeController: ContentTypeController {
    let operations: ContentOperations
    let contentType: ContentType

    func find(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        let page = try await operations.find(contentType, action: action, query: request.strapiQuery, caller: context.caller)
        return .envelope(data: page.data, meta: ["pagination": .object(page.pagination)])
    }

    func findOne(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        let documentId = try context.parameters.require("id")
        return .envelope(data: try await operations.findOne(contentType, action: action, documentId: documentId, query: request.strapiQuery, caller: context.caller))
    }

    func create(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        var request = request
        let query = request.strapiQuery
        let document = try await operations.create(contentType, action: action, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller)
        return .envelope(data: document, status: .created)
    }

    func update(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        var request = request
        let documentId = try context.parameters.require("id")
        let query = request.strapiQuery
        return .envelope(data: try await operations.update(contentType, action: action, documentId: documentId, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller))
    }

    func delete(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        let documentId = try context.parameters.require("id")
        try await operations.delete(contentType, action: action, documentId: documentId, query: request.strapiQuery, caller: context.caller)
        return .noContent()
    }
}
