import Hummingbird
import StrataCore
import StrataDocuments
import StrataDatabase
import StrataHTTP
import StrataSchema

/// `find`, `findOne`, `create`, `update` and `delete` for a collection type.
struct CollectionTypeController: Sendable {
    let api: ContentAPI
    let contentType: ContentType

    func repository() throws -> DocumentRepository { try api.documents(contentType.uid) }

    func parameters() throws -> QueryParameters {
        try QueryParameters(metadata: api.documents.database.metadata, contentType: contentType)
    }

    func find(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let raw = request.strapiQuery
        var query = try parameters().list(raw)
        let pagination = try Pagination.parse(raw, configuration: api.configuration)
        query.start = pagination.start
        query.limit = pagination.limit
        let repository = try repository()
        let documents = try await repository.findMany(query)
        let total = pagination.withCount ? try await repository.count(query) : nil
        let data = JSONValue.array(documents.map { api.output($0, contentType) })
        return .envelope(data: data, meta: ["pagination": .object(pagination.meta(total: total))])
    }

    func findOne(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        let query = try parameters().base(request.strapiQuery)
        guard let document = try await repository().findOne(documentId: documentId, query) else {
            throw NotFoundError()
        }
        return .envelope(data: api.output(document, contentType))
    }

    func create(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let query = try parameters().base(request.strapiQuery)
        let data = try await request.dataPayload(context: context)
        let document = try await repository().create(data: data, try parameters().writeOptions(query))
        return .envelope(data: api.output(document, contentType), status: .created)
    }

    func update(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let documentId = try context.parameters.require("id")
        let query = try parameters().base(request.strapiQuery)
        let data = try await request.dataPayload(context: context)
        guard let document = try await repository().update(documentId: documentId, data: data, try parameters().writeOptions(query)) else {
            throw NotFoundError()
        }
        return .envelope(data: api.output(document, contentType))
    }

    func delete(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        let query = try parameters().base(request.strapiQuery)
        try await repository().delete(documentId: documentId, WriteOptions(locale: query.locale))
        return .noContent()
    }
}
