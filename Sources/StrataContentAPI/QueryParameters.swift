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
    /// Which related models the caller may read (populate, deep filters); `nil` allows all.
    public let canAccess: (@Sendable (UID) -> Bool)?

    public init(metadata: StorageMetadata, contentType: ContentType, canAccess: (@Sendable (UID) -> Bool)? = nil) throws {
        guard let model = metadata.model(contentType.uid) else { throw NotFoundError() }
        self.metadata = metadata
        self.contentType = contentType
        self.model = model
        self.canAccess = canAccess
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
            result.fields = try FieldsParser.parse(fields, model: model)
        }
        if let populate = query["populate"] {
            result.populate = try PopulateParser(metadata: metadata, canAccess: canAccess).parse(populate, model: model)
        }
        return result
    }

    /// A list query: base parameters plus filters and sort.
    public func list(_ query: JSONObject) throws -> DocumentQuery {
        var result = try base(query)
        if let filters = query["filters"] {
            result.filters = try FilterParser(metadata: metadata, source: "query", canAccess: canAccess).parse(filters, model: model)
        }
        if let sort = query["sort"] {
            result.sort = try SortParser(metadata: metadata).parse(sort, model: model)
        }
        if let search = query["_q"] {
            guard let text = search.stringValue else { throw ValidationError("Invalid _q parameter. Expected a string") }
            result.search = text.isEmpty ? nil : text
        }
        return result
    }

    /// A list query as Strapi's entity service reads it for plugin routes (`/users`,
    /// `/upload/files`): filters, sort, fields and populate, no publication status, and
    /// `start`/`limit` (also under `pagination`; a negative limit means no limit).
    public func entityServiceList(_ query: JSONObject) throws -> DocumentQuery {
        var result = try list(query)
        result.status = nil
        if let start = query["start"] ?? query["pagination"]?["start"] { result.start = try QueryValue.integer(start, name: "start") }
        if let limit = query["limit"] ?? query["pagination"]?["limit"] {
            let value = try QueryValue.integer(limit, name: "limit")
            result.limit = value < 0 ? nil : value
        }
        return result
    }

    /// Options for writes, carrying the query's status, locale, fields and populate.
    public func writeOptions(_ query: DocumentQuery) -> WriteOptions {
        WriteOptions(status: query.status, locale: query.locale, fields: query.fields, populate: query.populate)
    }
}
