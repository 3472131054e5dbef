public import StrataCore
import StrataSchema

/// Parses `sort` in Strapi's forms: `title`, `title:desc,id`, arrays, objects (`sort[title]=asc`),
/// and paths through relations and components (`author.name`, `sort[author][name]=desc`).
public struct SortParser: Sendable {
    public let metadata: StorageMetadata
    /// Which related types may be sorted through, hidden attributes and the size limits.
    public var rules: QueryRules

    public init(metadata: StorageMetadata, rules: QueryRules = QueryRules()) {
        self.metadata = metadata
        self.rules = rules
    }

    static let invalidSort = ValidationError("Invalid sort parameter. Expected a string, an array of strings, a sort object or an array of sort objects")

    public func parse(_ value: JSONValue, model: Model) throws(ValidationError) -> [SortField] {
        var result: [SortField] = []
        try parse(value, model: model, into: &result)
        return result
    }

    func parse(_ value: JSONValue, model: Model, into result: inout [SortField]) throws(ValidationError) {
        switch value {
        case .null:
            return
        case .string(let text):
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let term = part.trimmingCharacters()
                if term.isEmpty { continue }
                try append(try sortTerm(term, model: model), to: &result)
            }
        case .array(let items):
            for item in items {
                switch item {
                case .string, .object: try parse(item, model: model, into: &result)
                default: throw Self.invalidSort
                }
            }
        case .object(let object):
            if FilterParser.isIndexedObject(object) { return try parse(.array(object.values), model: model, into: &result) }
            try sortObject(object, path: [], model: model, into: &result)
        default:
            throw Self.invalidSort
        }
    }

    /// Adds a term, refusing more than ``QueryLimits/sortTerms`` as soon as they are counted.
    func append(_ term: SortField, to result: inout [SortField]) throws(ValidationError) {
        guard result.count < rules.limits.sortTerms else {
            throw QueryRules.tooLarge("sort", "Invalid sort parameter. A query cannot sort on more than \(rules.limits.sortTerms) terms", limit: rules.limits.sortTerms)
        }
        result.append(term)
    }

    func sortTerm(_ term: String, model: Model) throws(ValidationError) -> SortField {
        let pieces = term.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = pieces[0].trimmingCharacters()
        guard !path.isEmpty else { throw ValidationError("Field cannot be empty") }
        let direction = pieces.count > 1 ? try Self.direction(pieces[1].trimmingCharacters()) : .asc
        let segments = path.split(separator: ".", maxSplits: rules.limits.pathDepth).map(String.init)
        try rules.checkPath(segments.count, param: "sort")
        try validate(segments, model: model)
        return SortField(segments, direction)
    }

    func sortObject(_ object: JSONObject, path: [String], model: Model, into result: inout [SortField]) throws(ValidationError) {
        try rules.checkPath(path.count + 1, param: "sort")
        for (key, value) in object {
            switch value {
            case .string(let direction) where !direction.isEmpty:
                let segments = path + [key]
                try validate(segments, model: model)
                try append(SortField(segments, try Self.direction(direction)), to: &result)
            case .object(let nested):
                try sortObject(nested, path: path + [key], model: model, into: &result)
            default:
                throw ValidationError.invalidKey(key, path: (path + [key]).joined(separator: "."), source: "query", param: "sort")
            }
        }
    }

    static func direction(_ text: String) throws(ValidationError) -> SortField.Direction {
        switch text.lowercased() {
        case "asc": return .asc
        case "desc": return .desc
        default: throw ValidationError("Invalid order. order can only be one of asc|desc|ASC|DESC")
        }
    }

    /// Sort keys end on a visible scalar; earlier segments are relations or components.
    func validate(_ segments: [String], model: Model) throws(ValidationError) {
        var current = model
        for (index, name) in segments.enumerated() {
            let fullPath = segments[...index].joined(separator: ".")
            guard let field = current.field(name), metadata.isVisible(field, in: current), isSortable(field) else {
                throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort")
            }
            let isLast = index == segments.count - 1
            if field.column != nil {
                guard isLast else { throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort") }
                return
            }
            // Sorting through a type the caller may not read would leak its order, as filters would.
            guard !isLast, let target = FilterParser(metadata: metadata).model(for: field), !target.isContentType || rules.mayRead(target.uid) else {
                throw ValidationError.invalidKey(name, path: fullPath, source: "query", param: "sort")
            }
            current = target
        }
    }

    func isSortable(_ field: Field) -> Bool {
        guard let attribute = field.attribute else { return true }
        switch attribute.kind {
        case .dynamiczone, .password: return false
        case .relation(let relation): return !relation.kind.isMorph
        default: return true
        }
    }
}
