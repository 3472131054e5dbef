package import StrataCore
import StrataDatabase
package import StrataDocuments
package import StrataSchema

extension ContentOperations {
    /// `find` on a collection type: a page of documents (filters, sort, `_q`, status, locale,
    /// fields, populate) and its pagination meta.
    package func find(_ type: ContentType, action: String, query raw: JSONObject, caller: Caller) async throws -> Page {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: raw, access: &gate)
        var query = try parameters.list(raw)
        query.filters = gate.scope.restrict(query.filters)
        let pagination = try Pagination.parse(raw, configuration: configuration)
        query.start = pagination.start
        query.limit = pagination.limit
        let repository = try repository(type)
        let (documents, total) = try await run(gate) {
            let documents = try await repository.findMany(query)
            return (documents, pagination.withCount ? try await repository.count(query) : nil)
        }
        return Page(data: output(documents, type, parameters, gate), pagination: pagination.meta(total: total))
    }

    /// `findOne` by `documentId`; `NotFoundError` when there is no such document for the caller.
    package func findOne(_ type: ContentType, action: String, documentId: String, query raw: JSONObject, caller: Caller) async throws -> JSONValue {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: raw, access: &gate)
        var query = try parameters.base(raw)
        query.filters = gate.scope.restrict(query.filters)
        let repository = try repository(type)
        guard let document = try await run(gate, { try await repository.findOne(documentId: documentId, query) }) else {
            throw NotFoundError()
        }
        return output(document, type, parameters, gate)
    }

    /// The one document of a single type; `NotFoundError` when it does not exist yet.
    package func findSingle(_ type: ContentType, action: String, query raw: JSONObject, caller: Caller) async throws -> JSONValue {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: raw, access: &gate)
        var query = try parameters.base(raw)
        query.filters = gate.scope.restrict(query.filters)
        let repository = try repository(type)
        guard let document = try await run(gate, { try await repository.findFirst(query) }) else { throw NotFoundError() }
        return output(document, type, parameters, gate)
    }

    /// The number of documents a list query matches.
    package func count(_ type: ContentType, action: String, query raw: JSONObject, caller: Caller) async throws -> Int {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: raw, access: &gate)
        var query = try parameters.list(raw)
        query.filters = gate.scope.restrict(query.filters)
        let repository = try repository(type)
        return try await run(gate) { try await repository.count(query) }
    }

    /// A list query on a plugin type as Strapi's entity service reads it (`/users`,
    /// `/upload/files`: no publication status, `start`/`limit`), for transports whose plugin
    /// service runs it; the caller must already be authorized (see ``authorize(_:action:)``).
    /// Returns the query and which related types the output may show.
    package func entityServiceQuery(_ type: ContentType, query raw: JSONObject, access gate: inout OperationAccess, maxLimit: Int? = nil) async throws -> (query: DocumentQuery, readable: OutputSanitizer.Readable?) {
        let parameters = try await parameters(type, query: raw, access: &gate)
        var query = try parameters.entityServiceList(raw, maxLimit: maxLimit)
        query.filters = gate.scope.restrict(query.filters)
        return (query, parameters.rules.canAccess)
    }
}
