import Hummingbird
import StrataCore
import StrataDocuments
import StrataDatabase
import StrataHTTP
import StrataSchema

/// `find`, `update` (create-or-update) and `delete` for a single type.
struct SingleTypeController: ContentTypeController {
    let api: ContentAPI
    let contentType: ContentType
    let actions: ContentTypeActions

    func find(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let parameters = try await parameters(actions.find, context, request.strapiQuery)
        let query = try parameters.base(request.strapiQuery)
        guard let document = try await repository().findFirst(query) else { throw NotFoundError() }
        return .envelope(data: api.output(document, contentType, parameters))
    }

    func update(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let parameters = try await parameters(actions.update, context, request.strapiQuery)
        let query = try parameters.base(request.strapiQuery)
        var data = try await writableData(try await request.dataPayload(context: context), context)
        data.removeValue(forKey: "locale")
        let repository = try repository()
        let options = parameters.writeOptions(query)
        // Any version in any locale identifies the one document of a single type.
        let existing = try await repository.findFirst(DocumentQuery(fields: ["documentId"], status: .draft, locale: .all))
        let document: Document?
        if let documentId = existing?["documentId"]?.stringValue {
            document = try await repository.update(documentId: documentId, data: data, options)
        } else {
            document = try await repository.create(data: data, options)
        }
        guard let document else { throw NotFoundError() }
        return .envelope(data: api.output(document, contentType, parameters))
    }

    func delete(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let query = try await parameters(actions.delete, context, request.strapiQuery).base(request.strapiQuery)
        let repository = try repository()
        if let existing = try await repository.findFirst(DocumentQuery(fields: ["documentId"], status: .draft, locale: query.locale)),
            let documentId = existing["documentId"]?.stringValue
        {
            try await repository.delete(documentId: documentId, WriteOptions(locale: query.locale))
        }
        return .noContent()
    }
}
