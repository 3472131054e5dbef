public import StrataCore
import StrataDatabase
public import StrataSchema
import StrataSQL

/// The documents of one content type: Strapi's `strapi.documents(uid)`.
///
/// Every method runs through the service's middlewares; writes run in one transaction and
/// emit their events after it commits. Defaults are the Document Service's (draft status,
/// default locale); REST passes its own.
public struct DocumentRepository: Sendable {
    let service: DocumentService
    public let contentType: ContentType
    let entities: EntityRepository

    var model: Model { entities.model }
    var hasDraftAndPublish: Bool { contentType.draftAndPublish }

    func context(_ action: DocumentAction, _ params: DocumentParams) -> DocumentContext {
        DocumentContext(action: action, uid: contentType.uid, contentType: contentType, params: params)
    }

    // MARK: Public API

    public func findMany(_ query: DocumentQuery = DocumentQuery()) async throws -> [Document] {
        let result = try await service.run(context(.findMany, DocumentParams(query: query))) { context in
            .documents(try await performFindMany(context.params.query))
        }
        guard case .documents(let documents) = result else { throw MiddlewareResultError(action: .findMany) }
        return documents
    }

    public func findFirst(_ query: DocumentQuery = DocumentQuery()) async throws -> Document? {
        let result = try await service.run(context(.findFirst, DocumentParams(query: query))) { context in
            var first = context.params.query
            first.limit = 1
            return .document(try await performFindMany(first).first)
        }
        return try document(result, .findFirst)
    }

    public func findOne(documentId: String, _ query: DocumentQuery = DocumentQuery()) async throws -> Document? {
        let result = try await service.run(context(.findOne, DocumentParams(documentId: documentId, query: query))) { context in
            var one = context.params.query
            one.filters = .equals("documentId", .string(context.params.documentId ?? documentId)).and(one.filters)
            one.start = nil
            one.limit = 1
            // One version per status and locale: with a single locale there is nothing to order.
            let single = !contentType.localized || one.locale != .all
            return .document(try await performFindMany(one, atMostOneRow: single).first)
        }
        return try document(result, .findOne)
    }

    public func count(_ query: DocumentQuery = DocumentQuery()) async throws -> Int {
        let result = try await service.run(context(.count, DocumentParams(query: query))) { context in
            let scope = try await scopeFilter(status: context.params.query.status, locale: context.params.query.locale)
            return .count(try await entities.count(scope.and(context.params.query.filters), search: context.params.query.search))
        }
        guard case .count(let count) = result else { throw MiddlewareResultError(action: .count) }
        return count
    }

    /// Creates a document (its draft, and its published version when `status` is `.published`).
    public func create(data: JSONObject, _ options: WriteOptions = WriteOptions()) async throws -> Document {
        let result = try await service.run(context(.create, DocumentParams(data: data, options: options))) { context in
            .document(try await performCreate(context.params.data ?? [:], context.params.options))
        }
        guard let document = try document(result, .create) else { throw MiddlewareResultError(action: .create) }
        return document
    }

    /// Updates the draft of a document's locale, creating that locale version when the document
    /// exists in other locales (and publishes it when `status` is `.published`). Returns `nil`
    /// when the document does not exist.
    public func update(documentId: String, data: JSONObject, _ options: WriteOptions = WriteOptions()) async throws -> Document? {
        let result = try await service.run(context(.update, DocumentParams(documentId: documentId, data: data, options: options))) { context in
            .document(try await performUpdate(documentId: context.params.documentId ?? documentId, data: context.params.data ?? [:], context.params.options))
        }
        return try document(result, .update)
    }

    /// Deletes every version of a document in the locale (or every locale with `.all`), with its
    /// components and links; `entries` lists what was deleted (empty when nothing existed).
    @discardableResult
    public func delete(documentId: String, _ options: WriteOptions = WriteOptions()) async throws -> DocumentEntries {
        try entries(try await service.run(context(.delete, DocumentParams(documentId: documentId, options: options))) { context in
            .entries(try await performDelete(documentId: context.params.documentId ?? documentId, context.params.options))
        }, .delete)
    }

    func document(_ result: DocumentResult, _ action: DocumentAction) throws -> Document? {
        guard case .document(let document) = result else { throw MiddlewareResultError(action: action) }
        return document
    }

    func entries(_ result: DocumentResult, _ action: DocumentAction) throws -> DocumentEntries {
        guard case .entries(let entries) = result else { throw MiddlewareResultError(action: action) }
        return entries
    }

    // MARK: Reads

    func performFindMany(_ query: DocumentQuery, atMostOneRow: Bool = false) async throws -> [Document] {
        // Only a locale may need a lookup; other types get their scope without suspending.
        let scope = contentType.localized ? try await scopeFilter(status: query.status, locale: query.locale) : publicationFilter(query.status)
        var entityQuery = EntityQuery(
            filter: scope.and(query.filters),
            sort: query.sort,
            limit: query.limit,
            offset: query.start,
            fields: query.fields,
            populate: query.populate,
            publicationScope: (query.status ?? .draft) == .published ? .published : .draft,
            search: query.search
        )
        entityQuery.atMostOneRow = atMostOneRow
        return try await entities.findMany(entityQuery)
    }

    /// The rows a status and locale select: `publishedAt IS [NOT] NULL` on Draft & Publish types,
    /// `locale = ?` on localized ones.
    func scopeFilter(status: DocumentStatus?, locale: LocaleSelection?) async throws -> Filter {
        var filter = publicationFilter(status)
        if contentType.localized {
            switch locale {
            case .all: break
            case .code(let code):
                guard try await service.locales.isKnown(code) else { throw Self.invalidLocale(code) }
                filter = filter.and(.equals("locale", .string(code)))
            case nil: filter = filter.and(.equals("locale", .string(try await service.locales.defaultLocale())))
            }
        }
        return filter
    }

    /// `publishedAt IS [NOT] NULL` for a status on Draft & Publish types; no condition otherwise.
    func publicationFilter(_ status: DocumentStatus?) -> Filter {
        guard hasDraftAndPublish else { return .all }
        let isDraft = (status ?? .draft) == .draft
        return .and([.field("publishedAt", .operator(isDraft ? .null : .notNull, .bool(true)))])
    }

    /// The locale a write targets: `nil` for non-localized types.
    func writeLocale(_ selection: LocaleSelection?) async throws -> String? {
        guard contentType.localized else { return nil }
        switch selection {
        case .code(let code):
            guard try await service.locales.isKnown(code) else { throw Self.invalidLocale(code) }
            return code
        case .all:
            throw ValidationError("Invalid locale param * provided. Document locales must be strings.")
        case nil:
            return try await service.locales.defaultLocale()
        }
    }

    /// The locales a publication action targets: one, the default, or every existing one with `.all`.
    func targetLocales(_ selection: LocaleSelection?, documentId: String) async throws -> [String?] {
        guard contentType.localized else { return [nil] }
        switch selection {
        case .all:
            let rows = try await entities.findMany(EntityQuery(filter: .equals("documentId", .string(documentId)), fields: ["locale"]))
            var seen: [String] = []
            for code in rows.compactMap({ $0["locale"]?.stringValue }) where !seen.contains(code) { seen.append(code) }
            return seen
        default:
            return [try await writeLocale(selection)]
        }
    }

    static func invalidLocale(_ code: String) -> ValidationError {
        ValidationError("Invalid locale param \(code)", details: .object(["locale": .string(code)]))
    }
}

/// A middleware returned a result of the wrong kind for the action.
struct MiddlewareResultError: Error, CustomStringConvertible {
    let action: DocumentAction
    var description: String { "a document middleware returned an unexpected result for \(action.rawValue)" }
}
