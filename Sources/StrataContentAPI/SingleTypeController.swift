import Hummingbird
import StrataCore
import StrataHTTP
import StrataOperations
import StrataSchema

/// `find`, `update` (create-or-update) and `delete` for a single type.
struct SingleTypeController: ContentTypeController {
    let operations: ContentOperations
    let contentType: ContentType

    func find(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        .envelope(data: try await operations.findSingle(contentType, action: action, query: request.strapiQuery, caller: context.caller))
    }

    func update(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        var request = request
        let query = request.strapiQuery
        return .envelope(data: try await operations.updateSingle(contentType, action: action, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller))
    }

    func delete(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await operations.deleteSingle(contentType, action: action, query: request.strapiQuery, caller: context.caller)
        return .noContent()
    }
}
