public import StrataCore
import StrataSchema

/// Parses the `filters` object of a query (as decoded from `qs`) into a ``Filter``, resolving
/// every key against the model and rejecting what Strapi rejects with `Invalid key` errors.
public struct FilterParser: Sendable {
    public let metadata: StorageMetadata
    /// Where the filters came from, for error details (`query`).
    public var source: String
    /// Which related models may be filtered on (permissions), hidden attributes and size limits.
    public var rules: QueryRules

    public init(metadata: StorageMetadata, source: String = "query", rules: QueryRules = QueryRules()) {
        self.metadata = metadata
        self.source = source
        self.rules = rules
    }

    public init(metadata: StorageMetadata, source: String = "query", canAccess: (@Sendable (UID) -> Bool)?) {
        self.init(metadata: metadata, source: source, rules: QueryRules(canAccess: canAccess))
    }

    public func parse(_ json: JSONValue, model: Model) throws(ValidationError) -> Filter {
        let filter = try parse(json, model: model, path: [])
        let limit = rules.limits.filterConditions
        guard filter.conditionCount(upTo: limit) <= limit else {
            throw QueryRules.tooLarge("filters", "Invalid filters parameter. A query cannot hold more than \(limit) filter conditions", limit: limit)
        }
        return filter
    }

    func parse(_ json: JSONValue, model: Model, path: [String]) throws(ValidationError) -> Filter {
        try rules.checkPath(path.count, param: "filters")
        switch json {
        case .object(let object):
            return try parseObject(object, model: model, path: path)
        case .array(let array):
            return .and(try array.map { element throws(ValidationError) in try parse(element, model: model, path: path) })
        case .null:
            return .all
        default:
            throw ValidationError("The filters parameter must be an object or an array")
        }
    }

    func invalidKey(_ key: String, _ path: [String]) -> ValidationError {
        ValidationError.invalidKey(key, path: (path + [key]).joined(separator: "."), source: source, param: "filters")
    }

    func parseObject(_ object: JSONObject, model: Model, path: [String]) throws(ValidationError) -> Filter {
        try rules.checkPath(path.count, param: "filters")
        var parts: [Filter] = []
        for (key, value) in object {
            switch key {
            case "$and", "$or":
                let elements = try Self.arrayElements(value, key: key)
                let parsed = try elements.map { element throws(ValidationError) -> Filter in
                    guard case .object(let inner) = element else {
                        if case .array = element { return try parse(element, model: model, path: path + [key]) }
                        throw ValidationError("Invalid \(key) filter: expected an array of objects")
                    }
                    return try parseObject(inner, model: model, path: path + [key])
                }
                if parsed.isEmpty { continue }
                parts.append(key == "$and" ? .and(parsed) : .or(parsed))
            case "$not":
                guard case .object(let inner) = value else {
                    throw ValidationError("Invalid $not filter: expected an object")
                }
                parts.append(.not(try parseObject(inner, model: model, path: path + [key])))
            default:
                if key.hasPrefix("$") { throw invalidKey(key, path) }
                guard let field = model.field(key), isFilterable(field, in: model) else { throw invalidKey(key, path) }
                if let condition = try parseField(field, value: value, model: model, path: path + [key]) {
                    parts.append(.field(key, condition))
                }
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    /// Strapi refuses filters on dynamic zones, passwords and private attributes (the attribute's
    /// flag, the type's `privateAttributes` and the global ones alike).
    func isFilterable(_ field: Field, in model: Model) -> Bool {
        guard metadata.isVisible(field, in: model) else { return false }
        guard let attribute = field.attribute else { return true }
        if self.model(for: field) == nil, !attribute.kind.isScalar { return false }
        switch attribute.kind {
        case .password, .dynamiczone: return false
        case .relation(let relation) where relation.kind == .morphToMany || relation.kind == .morphToOne: return false
        default:
            if case .localizations = field.storage { return false }
            return true
        }
    }

    /// The target model a relational field filters into.
    public func model(for field: Field) -> Model? {
        switch field.storage {
        case .joinTable(_, let target, _, _), .joinColumn(_, let target): return metadata.model(target)
        case .components(_, let uids, _, let dynamicZone): return dynamicZone ? nil : metadata.model(uids[0])
        case .media: return metadata.model(uploadFileUID)
        default: return nil
        }
    }

    func parseField(_ field: Field, value: JSONValue, model: Model, path: [String]) throws(ValidationError) -> FieldFilter? {
        if let target = self.model(for: field) {
            if target.isContentType, !rules.mayRead(target.uid) { throw invalidKey(field.name, Array(path.dropLast())) }
            return try parseRelational(value, target: target, path: path)
        }
        return try parseScalar(value, path: path)
    }

    func parseScalar(_ value: JSONValue, path: [String]) throws(ValidationError) -> FieldFilter? {
        try rules.checkPath(path.count, param: "filters")
        switch value {
        case .object(let object):
            var conditions: [FieldFilter] = []
            for (key, operand) in object {
                if key == "$not" {
                    if let inner = try parseScalar(operand, path: path + [key]) { conditions.append(.not(inner)) }
                    continue
                }
                if key == "$and" || key == "$or" {
                    let elements = try Self.arrayElements(operand, key: key)
                    var inner: [FieldFilter] = []
                    for element in elements {
                        if let parsed = try parseScalar(element, path: path + [key]) { inner.append(parsed) }
                    }
                    if !inner.isEmpty { conditions.append(key == "$and" ? .and(inner) : .or(inner)) }
                    continue
                }
                guard let op = FilterOperator(rawValue: key) else {
                    throw invalidKey(key, Array(path))
                }
                conditions.append(try condition(op, operand))
            }
            if conditions.isEmpty { return nil }
            return conditions.count == 1 ? conditions[0] : .and(conditions)
        case .array(let elements):
            return elements.isEmpty ? nil : .operator(.in, value)
        default:
            return .operator(.eq, value)
        }
    }

    func condition(_ op: FilterOperator, _ operand: JSONValue) throws(ValidationError) -> FieldFilter {
        if case .array(let elements) = operand, !op.takesArray, op != .null, op != .notNull {
            // A list for a single-value operator means "any of them" (Strapi's implicit OR).
            return .or(elements.map { .operator(op, $0) })
        }
        if case .object(let object) = operand, op.takesArray, Self.isIndexedObject(object) {
            return .operator(op, .array(object.values))
        }
        return .operator(op, operand)
    }

    func parseRelational(_ value: JSONValue, target: Model, path: [String]) throws(ValidationError) -> FieldFilter? {
        switch value {
        case .object(let object):
            let operatorKeys = object.keys.filter { $0.hasPrefix("$") && $0 != "$and" && $0 != "$or" && $0 != "$not" }
            if !operatorKeys.isEmpty {
                guard operatorKeys.count == object.count else {
                    throw ValidationError("Invalid filter at \(path.joined(separator: ".")): operators cannot be mixed with attributes on a relation")
                }
                // Operators directly on a relation apply to the related row's id.
                guard let condition = try parseScalar(value, path: path) else { return nil }
                return .nested(.field("id", condition))
            }
            let nested = try parseObject(object, model: target, path: path)
            if case .and(let parts) = nested, parts.isEmpty { return nil }
            return .nested(nested)
        case .array(let elements):
            if elements.isEmpty { return nil }
            return .nested(.field("id", .operator(.in, value)))
        default:
            return .nested(.field("id", .operator(.eq, value)))
        }
    }

    static func arrayElements(_ value: JSONValue, key: String) throws(ValidationError) -> [JSONValue] {
        switch value {
        case .array(let elements): return elements
        case .object(let object) where isIndexedObject(object): return object.values
        default: throw ValidationError("Operator \(key) must be an array")
        }
    }

    /// qs turns arrays with indexes above its limit into objects keyed "0", "1"…
    public static func isIndexedObject(_ object: JSONObject) -> Bool {
        !object.isEmpty && object.keys.allSatisfy { key in key.allSatisfy(\.isNumber) }
    }
}
