import Hummingbird
import StrataCore
import StrataDocuments
import StrataDatabase
import StrataHTTP
import StrataSchema

/// `find`, `findOne`, `create`, `update` and `delete` for a collection type.
struct CollectionTypeController: ContentTypeController {
    let api: ContentAPI
    let contentType: ContentType
    let actions: ContentTypeActions

    func find(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let raw = request.strapiQuery
        let parameters = try await parameters(actions.find, context, raw)
        var query = try parameters.list(raw)
        let pagination = try Pagination.parse(raw, configuration: api.configuration)
        query.start = pagination.start
        query.limit = pagination.limit
        let repository = try repository()
        let documents = try await repository.findMany(query)
        let total = pagination.withCount ? try await repository.count(query) : nil
        let data = api.output(documents, contentType, parameters)
        return .envelope(data: data, meta: ["pagination": .object(pagination.meta(total: total))])
    }

    func findOne(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        let parameters = try await parameters(actions.findOne, context, request.strapiQuery)
        let query = try parameters.base(request.strapiQuery)
        guard let document = try await repository().findOne(documentId: documentId, query) else {
            throw NotFoundError()
        }
        return .envelope(data: api.output(document, contentType, parameters))
    }

    func create(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let parameters = try await parameters(actions.create, context, request.strapiQuery)
        var query = try parameters.base(request.strapiQuery)
        var data = try await writableData(try await request.dataPayload(context: context), context)
        // A new document may name its locale in the body (Strapi's i18n docs); the query wins.
        if let locale = data.removeValue(forKey: "locale"), query.locale == nil, contentType.localized {
            guard let code = locale.stringValue, !code.isEmpty else {
                throw ValidationError("Invalid locale param. Document locales must be strings.")
            }
            query.locale = .code(code)
        }
        let document = try await repository().create(data: data, parameters.writeOptions(query))
        return .envelope(data: api.output(document, contentType, parameters), status: .created)
    }

    func update(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        var request = request
        let documentId = try context.parameters.require("id")
        let parameters = try await parameters(actions.update, context, request.strapiQuery)
        let query = try parameters.base(request.strapiQuery)
        var data = try await writableData(try await request.dataPayload(context: context), context)
        // The locale of an existing version cannot change; a body locale is ignored.
        data.removeValue(forKey: "locale")
        guard let document = try await repository().update(documentId: documentId, data: data, parameters.writeOptions(query)) else {
            throw NotFoundError()
        }
        return .envelope(data: api.output(document, contentType, parameters))
    }

    func delete(_ request: Request, _ context: StrataRequestContext) async throws -> Response {
        let documentId = try context.parameters.require("id")
        let query = try await parameters(actions.delete, context, request.strapiQuery).base(request.strapiQuery)
        try await repository().delete(documentId: documentId, WriteOptions(locale: query.locale))
        return .noContent()
    }
}
