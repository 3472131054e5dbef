import Foundation
public import StrataCore
public import StrataDatabase
public import StrataDocuments
public import StrataSchema

/// Turns a decoded REST query string into a typed ``DocumentQuery``, validating every key
/// against the content type as Strapi's `validateQuery` does.
public struct QueryParameters: Sendable {
    public let metadata: StorageMetadata
    public let contentType: ContentType
    public let model: Model
    /// Which related models the caller may read (populate, deep filters, sort), the globally
    /// private attributes and the size limits.
    public let rules: QueryRules

    public init(metadata: StorageMetadata, contentType: ContentType, rules: QueryRules = QueryRules()) throws {
        guard let model = metadata.model(contentType.uid) else { throw NotFoundError() }
        self.metadata = metadata
        self.contentType = contentType
        self.model = model
        self.rules = rules
    }

    /// Status, locale, fields and populate as REST understands them, with REST's defaults.
    public func base(_ query: JSONObject) throws -> DocumentQuery {
        var result = DocumentQuery()
        // REST reads and writes default to the published version; any value but "published" means draft.
        if let status = query["status"], status != .null {
            result.status = status.stringValue == "published" ? .published : .draft
        } else {
            result.status = .published
        }
        if contentType.localized, let locale = query["locale"], locale != .null {
            guard let code = locale.stringValue, !code.isEmpty else {
                throw ValidationError("Invalid locale param. Document locales must be strings.")
            }
            result.locale = code == "*" || code == "all" ? .all : .code(code)
        }
        if let fields = query["fields"] {
            result.fields = try FieldsParser.parse(fields, model: model, metadata: metadata)
        }
        if let populate = query["populate"] {
            result.populate = try PopulateParser(metadata: metadata, rules: rules).parse(populate, model: model)
        }
        return result
    }

    /// A list query: base parameters plus filters and sort.
    public func list(_ query: JSONObject) throws -> DocumentQuery {
        var result = try base(query)
        if let filters = query["filters"] {
            result.filters = try FilterParser(metadata: metadata, source: "query", rules: rules).parse(filters, model: model)
        }
        if let sort = query["sort"] {
            result.sort = try SortParser(metadata: metadata, rules: rules).parse(sort, model: model)
        }
        if let search = query["_q"] {
            guard let text = search.stringValue else { throw ValidationError("Invalid _q parameter. Expected a string") }
            let limit = rules.limits.searchLength
            guard text.unicodeScalars.count <= limit else {
                throw ValidationError("Invalid _q parameter. Expected at most \(limit) characters",
                                      details: .object(["source": "query", "param": "_q", "limit": .int(Int64(limit))]))
            }
            result.search = text.isEmpty ? nil : text
        }
        return result
    }

    /// A list query as Strapi's entity service reads it for plugin routes (`/users`,
    /// `/upload/files`): filters, sort, fields and populate, no publication status, and
    /// `start`/`limit` (also under `pagination`; a negative limit means no limit) or
    /// `pagination[page]`/`pagination[pageSize]`. `maxLimit` caps the page size when given.
    public func entityServiceList(_ query: JSONObject, maxLimit: Int? = nil) throws -> DocumentQuery {
        var result = try list(query)
        result.status = nil
        func capped(_ limit: Int?) -> Int? {
            guard let maxLimit else { return limit }
            return min(limit ?? maxLimit, maxLimit)
        }
        if let start = query["start"] ?? query["pagination"]?["start"] { result.start = max(0, try QueryValue.integer(start, name: "start")) }
        if let limit = query["limit"] ?? query["pagination"]?["limit"] {
            let value = try QueryValue.integer(limit, name: "limit")
            result.limit = capped(value < 0 ? nil : value)
        }
        if let pagination = query["pagination"], pagination["page"] != nil || pagination["pageSize"] != nil {
            let page = try pagination["page"].map { value throws(PaginationError) in try QueryValue.integer(value, name: "page") } ?? 1
            let size = try pagination["pageSize"].map { value throws(PaginationError) in try QueryValue.integer(value, name: "pageSize") } ?? 25
            guard page >= 1, size >= 1 else { throw ValidationError("Invalid pagination parameters") }
            let limit = capped(size) ?? size
            result.start = try Pagination.offset(page: page, pageSize: limit)
            result.limit = limit
        }
        return result
    }

    /// Options for writes, carrying the query's status, locale, fields and populate.
    public func writeOptions(_ query: DocumentQuery) -> WriteOptions {
        WriteOptions(status: query.status, locale: query.locale, fields: query.fields, populate: query.populate)
    }
}
