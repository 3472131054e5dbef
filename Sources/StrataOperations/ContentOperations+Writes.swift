package import StrataCore
import StrataDatabase
import StrataDocuments
package import StrataSchema

extension ContentOperations {
    /// `create` on a collection type. `body` gives the `data` object; it is read only once the
    /// caller is authorized and the query is valid. A new document may name its locale in the
    /// body (Strapi's i18n docs); the query's wins.
    package func create(_ type: ContentType, action: String, data body: () async throws -> JSONObject, query rawQuery: JSONObject, caller: Caller) async throws -> JSONValue {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: rawQuery, access: &gate)
        var query = try parameters.base(rawQuery)
        var data = try await writableData(try await body(), type, access: &gate)
        if let locale = data.removeValue(forKey: "locale"), query.locale == nil, type.localized {
            guard let code = locale.stringValue, !code.isEmpty else {
                throw ValidationError("Invalid locale param. Document locales must be strings.")
            }
            query.locale = .code(code)
        }
        let repository = try repository(type)
        let options = parameters.writeOptions(query)
        let written = data
        let document = try await run(gate) { try await repository.create(data: written, options) }
        return output(document, type, parameters, gate)
    }

    /// `update` of a document's version (the locale of an existing version cannot change: a
    /// body locale is ignored); `NotFoundError` when there is no such document for the caller.
    package func update(_ type: ContentType, action: String, documentId: String, data body: () async throws -> JSONObject, query rawQuery: JSONObject, caller: Caller) async throws -> JSONValue {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: rawQuery, access: &gate)
        let query = try parameters.base(rawQuery)
        var data = try await writableData(try await body(), type, access: &gate)
        data.removeValue(forKey: "locale")
        let repository = try repository(type)
        try await requireInScope(documentId, repository, gate, locale: query.locale)
        let options = parameters.writeOptions(query)
        let written = data
        guard let document = try await run(gate, { try await repository.update(documentId: documentId, data: written, options) }) else {
            throw NotFoundError()
        }
        return output(document, type, parameters, gate)
    }

    /// `update` of a single type: creates its document the first time.
    package func updateSingle(_ type: ContentType, action: String, data body: () async throws -> JSONObject, query rawQuery: JSONObject, caller: Caller) async throws -> JSONValue {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: rawQuery, access: &gate)
        let query = try parameters.base(rawQuery)
        var data = try await writableData(try await body(), type, access: &gate)
        data.removeValue(forKey: "locale")
        let repository = try repository(type)
        let options = parameters.writeOptions(query)
        let written = data
        let document: Document? = try await run(gate) {
            // Any version in any locale identifies the one document of a single type.
            let existing = try await repository.findFirst(DocumentQuery(fields: ["documentId"], status: .draft, locale: .all))
            if let documentId = existing?["documentId"]?.stringValue {
                return try await repository.update(documentId: documentId, data: written, options)
            }
            return try await repository.create(data: written, options)
        }
        guard let document else { throw NotFoundError() }
        return output(document, type, parameters, gate)
    }

    /// `delete` of a document (one locale, or every locale with `locale=*`).
    package func delete(_ type: ContentType, action: String, documentId: String, query rawQuery: JSONObject, caller: Caller) async throws {
        var gate = try await authorize(caller, action: action)
        let query = try await parameters(type, query: rawQuery, access: &gate).base(rawQuery)
        let repository = try repository(type)
        try await requireInScope(documentId, repository, gate, locale: query.locale)
        _ = try await run(gate) { try await repository.delete(documentId: documentId, WriteOptions(locale: query.locale)) }
    }

    /// `delete` of a single type's document; nothing to delete is not an error.
    package func deleteSingle(_ type: ContentType, action: String, query rawQuery: JSONObject, caller: Caller) async throws {
        var gate = try await authorize(caller, action: action)
        let query = try await parameters(type, query: rawQuery, access: &gate).base(rawQuery)
        let repository = try repository(type)
        try await run(gate) {
            if let existing = try await repository.findFirst(DocumentQuery(fields: ["documentId"], status: .draft, locale: query.locale)),
                let documentId = existing["documentId"]?.stringValue
            {
                _ = try await repository.delete(documentId: documentId, WriteOptions(locale: query.locale))
            }
        }
    }

    /// The publication actions (the admin's publish, unpublish and discard buttons; GraphQL and
    /// REST publish through `status`).
    package enum Publication: Sendable {
        case publish, unpublish, discardDraft
    }

    /// Publishes, unpublishes or discards the draft of a document (one locale, or every locale
    /// with `locale=*`); answers the versions it wrote, sanitized.
    package func publication(_ change: Publication, _ type: ContentType, action: String, documentId: String, query rawQuery: JSONObject, caller: Caller) async throws -> [JSONValue] {
        var gate = try await authorize(caller, action: action)
        let parameters = try await parameters(type, query: rawQuery, access: &gate)
        let query = try parameters.base(rawQuery)
        let repository = try repository(type)
        try await requireInScope(documentId, repository, gate, locale: query.locale)
        let options = WriteOptions(locale: query.locale, fields: query.fields, populate: query.populate)
        let entries = try await run(gate) {
            switch change {
            case .publish: return try await repository.publish(documentId: documentId, options)
            case .unpublish: return try await repository.unpublish(documentId: documentId, options)
            case .discardDraft: return try await repository.discardDraft(documentId: documentId, options)
            }
        }
        return entries.entries.map { output($0, type, parameters, gate) }
    }

    /// A write to a document outside the caller's rows is a 404, as if it did not exist.
    func requireInScope(_ documentId: String, _ repository: DocumentRepository, _ gate: OperationAccess, locale: LocaleSelection?) async throws {
        guard let rows = gate.scope.rows else { return }
        let query = DocumentQuery(filters: rows, fields: ["documentId"], status: .draft, locale: locale)
        guard try await run(gate, { try await repository.findOne(documentId: documentId, query) }) != nil else { throw NotFoundError() }
    }
}
