public import StrataCore
import StrataDatabase
public import StrataSchema
import StrataSQL

/// The documents of one content type: Strapi's `strapi.documents(uid)`.
///
/// Defaults are the Document Service's (draft status, default locale); REST passes its own.
public struct DocumentRepository: Sendable {
    let service: DocumentService
    public let contentType: ContentType
    let entities: EntityRepository

    var model: Model { entities.model }
    var hasDraftAndPublish: Bool { contentType.draftAndPublish }

    // MARK: Reads

    public func findMany(_ query: DocumentQuery = DocumentQuery()) async throws -> [Document] {
        let scope = try await scopeFilter(status: query.status, locale: query.locale)
        return try await entities.findMany(EntityQuery(
            filter: scope.and(query.filters),
            sort: query.sort,
            limit: query.limit,
            offset: query.start,
            fields: query.fields,
            populate: query.populate,
            publicationScope: (query.status ?? .draft) == .published ? .published : .draft,
            search: query.search
        ))
    }

    public func findFirst(_ query: DocumentQuery = DocumentQuery()) async throws -> Document? {
        var first = query
        first.limit = 1
        return try await findMany(first).first
    }

    public func findOne(documentId: String, _ query: DocumentQuery = DocumentQuery()) async throws -> Document? {
        var one = query
        one.filters = .equals("documentId", .string(documentId)).and(query.filters)
        one.start = nil
        return try await findFirst(one)
    }

    public func count(_ query: DocumentQuery = DocumentQuery()) async throws -> Int {
        let scope = try await scopeFilter(status: query.status, locale: query.locale)
        return try await entities.count(scope.and(query.filters), search: query.search)
    }

    /// The rows a status and locale select: `publishedAt IS [NOT] NULL` on Draft & Publish types,
    /// `locale = ?` on localized ones.
    func scopeFilter(status: DocumentStatus?, locale: LocaleSelection?) async throws -> Filter {
        var filter = Filter.all
        if hasDraftAndPublish {
            let isDraft = (status ?? .draft) == .draft
            filter = filter.and(.field("publishedAt", .operator(isDraft ? .null : .notNull, .bool(true))))
        }
        if contentType.localized {
            switch locale {
            case .all: break
            case .code(let code): filter = filter.and(.equals("locale", .string(code)))
            case nil: filter = filter.and(.equals("locale", .string(try await service.locales.defaultLocale())))
            }
        }
        return filter
    }

    /// The locale a write targets: `nil` for non-localized types.
    func writeLocale(_ selection: LocaleSelection?) async throws -> String? {
        guard contentType.localized else { return nil }
        switch selection {
        case .code(let code):
            guard try await service.locales.isKnown(code) else {
                throw ValidationError("Invalid locale param \(code)", details: .object(["locale": .string(code)]))
            }
            return code
        case .all:
            throw ValidationError("Invalid locale param * provided. Document locales must be strings.")
        case nil:
            return try await service.locales.defaultLocale()
        }
    }
}
