import Hummingbird
import StrataCore
import StrataHTTP
import StrataOperations
import StrataSchema

/// `find`, `update` (create-or-update) and `delete` for a single type.
struct SingleTypeController: ContentTypeController {
    let operations: ContentOperations
    let contentType: ContentType
    let actions: ContentTypeActions

    func find(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        .envelope(data: try await operations.findSingle(contentType, action: actions.find, query: request.strapiQuery, caller: context.caller))
    }

    func update(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let query = request.strapiQuery
        return .envelope(data: try await operations.updateSingle(contentType, action: actions.update, data: { try await request.dataPayload(context: context) }, query: query, caller: context.caller))
    }

    func delete(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        try await operations.deleteSingle(contentType, action: actions.delete, query: request.strapiQuery, caller: context.caller)
        return .noContent()
    }
}
