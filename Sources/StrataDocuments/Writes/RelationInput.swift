public import StrataCore

/// A reference to a related document in a write body: by documentId (optionally with locale and
/// status, the longhand form) or by row id.
public enum RelationReference: Sendable, Hashable {
    case documentId(String, locale: String?, status: DocumentStatus?)
    case id(Int64)
}

/// A position in a `connect` entry, with its anchor still unresolved.
public enum RelationAnchor: Sendable, Hashable {
    case start
    case end
    case before(RelationReference)
    case after(RelationReference)
}

public struct RelationItem: Sendable, Hashable {
    public var reference: RelationReference
    public var position: RelationAnchor?
}

/// A relation or media value of a write body, in any of Strapi's syntaxes, parsed.
public enum RelationInput: Sendable, Hashable {
    case set([RelationItem])
    case connect([RelationItem], disconnect: [RelationItem], strict: Bool)

    /// The most related entries one attribute of a write may name (set, or connect and
    /// disconnect together): each is looked up and ordered, so a body cannot ask for unbounded
    /// work. Strapi has no limit; larger changes can be sent in several requests.
    public static let maximumItems = 1000

    /// Parses the value of a relation attribute. `path` names the attribute in errors.
    public static func parse(_ value: JSONValue, path: String) throws(ValidationError) -> RelationInput {
        let input = try parseUnbounded(value, path: path)
        let count: Int
        switch input {
        case .set(let items): count = items.count
        case .connect(let items, let disconnect, _): count = items.count + disconnect.count
        }
        guard count <= maximumItems else {
            throw ValidationError("Too many relations for \(path): a write can name at most \(maximumItems) related entries per attribute",
                                  details: .object(["key": .string(path), "source": "body", "limit": .int(Int64(maximumItems))]))
        }
        return input
    }

    static func parseUnbounded(_ value: JSONValue, path: String) throws(ValidationError) -> RelationInput {
        switch value {
        case .null:
            return .set([])
        case .string, .int, .double:
            return .set([try item(value, path: path, allowPosition: false)])
        case .array(let items):
            return .set(try items.map { element throws(ValidationError) in try item(element, path: path, allowPosition: false) })
        case .object(let object):
            let keys = Set(object.keys)
            if keys.contains("set") || keys.contains("connect") || keys.contains("disconnect") {
                for key in keys where !["set", "connect", "disconnect", "options"].contains(key) {
                    throw ValidationError.invalidKey(key, path: "\(path).\(key)", source: "body")
                }
                if keys.contains("set") {
                    if keys.contains("connect") || keys.contains("disconnect") {
                        throw ValidationError("Invalid relation payload for \(path): \"set\" cannot be combined with \"connect\" or \"disconnect\"", details: .object(["key": .string(path), "source": "body"]))
                    }
                    return .set(try list(object["set"]!, path: path, allowPosition: false))
                }
                var strict = true
                if let options = object["options"], !options.isNull {
                    guard case .object(let optionObject) = options else {
                        throw ValidationError.invalidKey("options", path: "\(path).options", source: "body")
                    }
                    for key in optionObject.keys where key != "strict" {
                        throw ValidationError.invalidKey(key, path: "\(path).options.\(key)", source: "body")
                    }
                    if let flag = optionObject["strict"] {
                        guard let parsed = flag.boolValue ?? (flag.stringValue.flatMap { $0 == "true" ? true : $0 == "false" ? false : nil }) else {
                            throw ValidationError("Invalid relation options for \(path): strict must be a boolean")
                        }
                        strict = parsed
                    }
                }
                return .connect(
                    try object["connect"].map { value throws(ValidationError) in try list(value, path: path, allowPosition: true) } ?? [],
                    disconnect: try object["disconnect"].map { value throws(ValidationError) in try list(value, path: path, allowPosition: false) } ?? [],
                    strict: strict
                )
            }
            return .set([try item(value, path: path, allowPosition: false)])
        default:
            throw ValidationError("Invalid relation value for \(path)", details: .object(["key": .string(path), "source": "body"]))
        }
    }

    static func list(_ value: JSONValue, path: String, allowPosition: Bool) throws(ValidationError) -> [RelationItem] {
        switch value {
        case .null: return []
        case .array(let items): return try items.map { element throws(ValidationError) in try item(element, path: path, allowPosition: allowPosition) }
        default: return [try item(value, path: path, allowPosition: allowPosition)]
        }
    }

    static func item(_ value: JSONValue, path: String, allowPosition: Bool) throws(ValidationError) -> RelationItem {
        switch value {
        case .string, .int, .double:
            return RelationItem(reference: try reference(value, path: path), position: nil)
        case .object(let object):
            var position: RelationAnchor?
            for key in object.keys where !["documentId", "id", "locale", "status", "position", "__type"].contains(key) {
                throw ValidationError.invalidKey(key, path: "\(path).\(key)", source: "body")
            }
            if let raw = object["position"], !raw.isNull {
                guard allowPosition, case .object(let positionObject) = raw else {
                    throw ValidationError.invalidKey("position", path: "\(path).position", source: "body")
                }
                position = try anchor(positionObject, path: path)
            }
            let reference: RelationReference
            if let documentId = object["documentId"] {
                guard case .string(let text) = documentId, !text.isEmpty else {
                    throw ValidationError("Invalid documentId for \(path): expected a string, got \(JSONWriter.string(documentId))",
                                          details: .object(["key": .string(path), "source": "body"]))
                }
                var status: DocumentStatus?
                if let rawStatus = object["status"], !rawStatus.isNull {
                    guard let text = rawStatus.stringValue, let parsed = DocumentStatus(rawValue: text) else {
                        throw ValidationError("Invalid status for \(path): expected draft or published")
                    }
                    status = parsed
                }
                let locale = object["locale"]?.stringValue
                reference = .documentId(text, locale: locale, status: status)
            } else if let id = object["id"] {
                reference = try Self.reference(id, path: path, numericOnly: true)
            } else {
                throw ValidationError("Invalid relation for \(path): an object needs a documentId or an id", details: .object(["key": .string(path), "source": "body"]))
            }
            return RelationItem(reference: reference, position: position)
        default:
            throw ValidationError("Invalid relation value for \(path)", details: .object(["key": .string(path), "source": "body"]))
        }
    }

    static func reference(_ value: JSONValue, path: String, numericOnly: Bool = false) throws(ValidationError) -> RelationReference {
        switch value {
        case .int(let id) where id > 0:
            return .id(id)
        case .double(let number) where number > 0:
            // Only whole numbers an id column can hold; 1e20 is no id (and would trap).
            guard let id = Int64(exactly: number) else { break }
            return .id(id)
        case .string(let text) where !text.isEmpty:
            if let id = Int64(text), id > 0 { return .id(id) }
            if numericOnly { break }
            return .documentId(text, locale: nil, status: nil)
        default:
            break
        }
        throw ValidationError("Invalid relation reference \(JSONWriter.string(value)) for \(path)", details: .object(["key": .string(path), "source": "body"]))
    }

    static func anchor(_ object: JSONObject, path: String) throws(ValidationError) -> RelationAnchor {
        if let value = object["before"] { return .before(try reference(value, path: path)) }
        if let value = object["after"] { return .after(try reference(value, path: path)) }
        if object["start"] != nil { return .start }
        if object["end"] != nil { return .end }
        throw ValidationError("Invalid position for \(path): expected before, after, start or end")
    }
}
