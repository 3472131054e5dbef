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

    public init(metadata: StorageMetadata, contentType: ContentType) throws {
        guard let model = metadata.model(contentType.uid) else { throw NotFoundError() }
        self.metadata = metadata
        self.contentType = contentType
        self.model = model
    }

    /// Status and locale (and fields) as REST understands them, with REST's defaults.
    public func base(_ query: JSONObject) throws -> DocumentQuery {
        var result = DocumentQuery()
        // REST reads and writes default to the published version; any value but "published" means draft.
        if contentType.draftAndPublish {
            if let status = query["status"], status != .null {
                result.status = status.stringValue == "published" ? .published : .draft
            } else {
                result.status = .published
            }
        }
        if contentType.localized, let locale = query["locale"], locale != .null {
            guard let code = locale.stringValue, !code.isEmpty else {
                throw ValidationError("Invalid locale param. Document locales must be strings.")
            }
            result.locale = code == "*" || code == "all" ? .all : .code(code)
        }
        if let fields = query["fields"] {
            result.fields = try parseFields(fields)
        }
        if let populate = query["populate"], !Self.isEmpty(populate) {
            throw ValidationError("populate is not supported yet", details: .object(["param": "populate"]))
        }
        return result
    }

    /// A list query: base parameters plus filters and sort.
    public func list(_ query: JSONObject) throws -> DocumentQuery {
        var result = try base(query)
        if let filters = query["filters"] {
            result.filters = try FilterParser(metadata: metadata, source: "query").parse(filters, model: model)
        }
        if let sort = query["sort"] {
            result.sort = try parseSort(sort)
        }
        return result
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let text): return text.isEmpty
        case .array(let items): return items.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }

    // MARK: fields

    func parseFields(_ value: JSONValue) throws -> [String]? {
        var names: [String] = []
        switch value {
        case .string(let text):
            names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .array(let items):
            for item in items {
                guard let text = item.stringValue else {
                    throw ValidationError("Invalid fields parameter. Expected a string or an array of strings")
                }
                names.append(contentsOf: text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            }
        case .null:
            return nil
        default:
            throw ValidationError("Invalid fields parameter. Expected a string or an array of strings")
        }
        if names.contains("*") { return nil }
        for name in names {
            guard let field = model.field(name), field.column != nil, isVisible(field) else {
                throw ValidationError.invalidKey(name, source: "query", param: "fields")
            }
        }
        return names
    }

    func isVisible(_ field: Field) -> Bool {
        guard let attribute = field.attribute else { return true }
        if attribute.isPrivate || contentType.privateAttributes.contains(attribute.name) { return false }
        if case .password = attribute.kind { return false }
        return true
    }

    // MARK: sort

    static let invalidSort = ValidationError("Invalid sort parameter. Expected a string, an array of strings, a sort object or an array of sort objects")

    func parseSort(_ value: JSONValue) throws -> [SortField] {
        switch value {
        case .null:
            return []
        case .string(let text):
            var result: [SortField] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let term = part.trimmingCharacters(in: .whitespaces)
                if term.isEmpty { continue }
                result.append(try sortTerm(term))
            }
            return result
        case .array(let items):
            return try items.flatMap { item -> [SortField] in
                switch item {
                case .string, .object: return try parseSort(item)
                default: throw Self.invalidSort
                }
            }
        case .object(let object):
            if FilterParser.isIndexedObject(object) { return try parseSort(.array(object.values)) }
            return try sortObject(object, path: [])
        default:
            throw Self.invalidSort
        }
    }

    func sortTerm(_ term: String) throws -> SortField {
        let pieces = term.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = pieces[0].trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { throw ValidationError("Field cannot be empty") }
        let direction = pieces.count > 1 ? try Self.direction(pieces[1].trimmingCharacters(in: .whitespaces)) : .asc
        let segments = path.split(separator: ".").map(String.init)
        try validateSortPath(segments)
        return SortField(segments, direction)
    }

    func sortObject(_ object: JSONObject, path: [String]) throws -> [SortField] {
        var result: [SortField] = []
        for (key, value) in object {
            switch value {
            case .string(let direction):
                let segments = path + [key]
                try validateSortPath(segments)
                result.append(SortField(segments, try Self.direction(direction)))
            case .object(let nested):
                result.append(contentsOf: try sortObject(nested, path: path + [key]))
            default:
                throw ValidationError.invalidKey(key, path: (path + [key]).joined(separator: "."), source: "query", param: "sort")
            }
        }
        return result
    }

    static func direction(_ text: String) throws -> SortField.Direction {
        switch text.lowercased() {
        case "asc": return .asc
        case "desc": return .desc
        default: throw ValidationError("Invalid order. order can only be one of asc|desc|ASC|DESC")
        }
    }

    /// Sort keys must be visible scalar fields; relation paths descend to a scalar.
    func validateSortPath(_ segments: [String]) throws {
        var current = model
        for (index, name) in segments.enumerated() {
            let fullPath = segments[...index].joined(separator: ".")
            guard let field = current.field(name), isSortable(field) else {
                throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort")
            }
            let isLast = index == segments.count - 1
            if field.column != nil {
                guard isLast else { throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort") }
                return
            }
            guard !isLast, let target = FilterParser(metadata: metadata).model(for: field) else {
                throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort")
            }
            current = target
        }
    }

    func isSortable(_ field: Field) -> Bool {
        guard isVisible(field), let attribute = field.attribute else { return field.attribute == nil }
        switch attribute.kind {
        case .dynamiczone: return false
        case .relation(let relation): return !relation.kind.isMorph
        default: return true
        }
    }
}

