public import StrataCore
public import StrataSchema

/// Removes what the Content API must never return — password attributes and private attributes
/// (attribute flag, the type's `privateAttributes`, the global `api.responses.privateAttributes`) —
/// at every level of populated relations, components, dynamic zones and media.
public struct OutputSanitizer: Sendable {
    public let registry: SchemaRegistry
    public let globalPrivateAttributes: Set<String>

    public init(registry: SchemaRegistry, globalPrivateAttributes: [String] = []) {
        self.registry = registry
        self.globalPrivateAttributes = Set(globalPrivateAttributes)
    }

    public func sanitize(_ document: Document, uid: UID) -> Document {
        let attributes: [Attribute]
        var typePrivate: [String] = []
        if let type = registry.contentType(uid) {
            attributes = type.attributes
            typePrivate = type.privateAttributes
        } else if let component = registry.component(uid) {
            attributes = component.attributes
        } else {
            return document
        }
        var hidden = globalPrivateAttributes.union(typePrivate)
        for attribute in attributes where attribute.isPrivate || attribute.kind == .password {
            hidden.insert(attribute.name)
        }
        var result = JSONObject(minimumCapacity: document.count)
        for (key, value) in document where !hidden.contains(key) {
            guard let attribute = attributes.first(where: { $0.name == key }) else {
                result.appendUnique(key, value)
                continue
            }
            result.appendUnique(key, sanitize(value, attribute: attribute))
        }
        return result
    }

    func sanitize(_ value: JSONValue, attribute: Attribute) -> JSONValue {
        switch attribute.kind {
        case .relation(let relation):
            guard let target = relation.target else { return value }
            return map(value) { .object(sanitize($0, uid: target)) }
        case .media:
            return map(value) { .object(sanitize($0, uid: uploadFile)) }
        case .component(let uid, _):
            return map(value) { .object(sanitize($0, uid: uid)) }
        case .dynamiczone:
            return map(value) { item in
                guard let name = item["__component"]?.stringValue, let uid = try? UID(name) else { return .object(item) }
                return .object(sanitize(item, uid: uid))
            }
        default:
            return value
        }
    }

    /// Applies `transform` to an object or to each object of an array; `{count}` objects stay.
    func map(_ value: JSONValue, _ transform: (JSONObject) -> JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            if object.keys == ["count"] { return value }
            return transform(object)
        case .array(let items):
            return .array(items.map { item in
                if case .object(let object) = item { return transform(object) }
                return item
            })
        default:
            return value
        }
    }

    // Safe: a literal uid.
    let uploadFile = try! UID("plugin::upload.file")
}
