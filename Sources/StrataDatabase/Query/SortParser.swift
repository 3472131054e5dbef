public import StrataCore
import StrataSchema

/// Parses `sort` in Strapi's forms: `title`, `title:desc,id`, arrays, objects (`sort[title]=asc`),
/// and paths through relations and components (`author.name`, `sort[author][name]=desc`).
public struct SortParser: Sendable {
    public let metadata: StorageMetadata

    public init(metadata: StorageMetadata) {
        self.metadata = metadata
    }

    static let invalidSort = ValidationError("Invalid sort parameter. Expected a string, an array of strings, a sort object or an array of sort objects")

    public func parse(_ value: JSONValue, model: Model) throws(ValidationError) -> [SortField] {
        switch value {
        case .null:
            return []
        case .string(let text):
            var result: [SortField] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let term = part.trimmingCharacters()
                if term.isEmpty { continue }
                result.append(try sortTerm(term, model: model))
            }
            return result
        case .array(let items):
            var result: [SortField] = []
            for item in items {
                switch item {
                case .string, .object: result.append(contentsOf: try parse(item, model: model))
                default: throw Self.invalidSort
                }
            }
            return result
        case .object(let object):
            if FilterParser.isIndexedObject(object) { return try parse(.array(object.values), model: model) }
            return try sortObject(object, path: [], model: model)
        default:
            throw Self.invalidSort
        }
    }

    func sortTerm(_ term: String, model: Model) throws(ValidationError) -> SortField {
        let pieces = term.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = pieces[0].trimmingCharacters()
        guard !path.isEmpty else { throw ValidationError("Field cannot be empty") }
        let direction = pieces.count > 1 ? try Self.direction(pieces[1].trimmingCharacters()) : .asc
        let segments = path.split(separator: ".").map(String.init)
        try validate(segments, model: model)
        return SortField(segments, direction)
    }

    func sortObject(_ object: JSONObject, path: [String], model: Model) throws(ValidationError) -> [SortField] {
        var result: [SortField] = []
        for (key, value) in object {
            switch value {
            case .string(let direction) where !direction.isEmpty:
                let segments = path + [key]
                try validate(segments, model: model)
                result.append(SortField(segments, try Self.direction(direction)))
            case .object(let nested):
                result.append(contentsOf: try sortObject(nested, path: path + [key], model: model))
            default:
                throw ValidationError.invalidKey(key, path: (path + [key]).joined(separator: "."), source: "query", param: "sort")
            }
        }
        return result
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
            guard let field = current.field(name), field.isVisible(in: current), isSortable(field) else {
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
        guard let attribute = field.attribute else { return true }
        switch attribute.kind {
        case .dynamiczone, .password: return false
        case .relation(let relation): return !relation.kind.isMorph
        default: return true
        }
    }
}
