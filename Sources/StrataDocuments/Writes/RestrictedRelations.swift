public import StrataCore
public import StrataSchema

/// What a write body may link: Strapi's content API input sanitizer (`removeRestrictedRelations`)
/// drops relation and media attributes whose target type the caller may not read, at every level
/// of components and dynamic zones, before validation. Without it a caller could link entries it
/// cannot see, and learn from "not found" errors which ones exist.
public enum RestrictedRelations {
    /// `data` without the relation and media values `readable` forbids; polymorphic relations
    /// keep only the entries whose `__type` is readable.
    public static func remove(from data: JSONObject, uid: UID, registry: SchemaRegistry, readable: (UID) -> Bool) -> JSONObject {
        guard let attributes = registry.attributes(of: uid) else { return data }
        var result = data
        for attribute in attributes {
            guard let value = data[attribute.name], value != .null else { continue }
            switch attribute.kind {
            case .relation(let relation):
                if let target = relation.target {
                    if !readable(target) { result.removeValue(forKey: attribute.name) }
                } else if relation.kind.isMorph {
                    result[attribute.name] = morph(value, readable)
                }
            case .media:
                if !readable(uploadFile) { result.removeValue(forKey: attribute.name) }
            case .component(let component, _):
                result[attribute.name] = each(value) { .object(remove(from: $0, uid: component, registry: registry, readable: readable)) }
            case .dynamiczone:
                result[attribute.name] = each(value) { item in
                    guard let name = item["__component"]?.stringValue, let component = try? UID(name) else { return .object(item) }
                    return .object(remove(from: item, uid: component, registry: registry, readable: readable))
                }
            default:
                break
            }
        }
        return result
    }

    /// Applies `transform` to an object, or to each object of an array.
    static func each(_ value: JSONValue, _ transform: (JSONObject) -> JSONValue) -> JSONValue {
        switch value {
        case .object(let object): return transform(object)
        case .array(let items): return .array(items.map { item in item.objectValue.map(transform) ?? item })
        default: return value
        }
    }

    /// A polymorphic value's entries of readable types (plain lists and `set`/`connect`/`disconnect`).
    static func morph(_ value: JSONValue, _ readable: (UID) -> Bool) -> JSONValue {
        func keep(_ item: JSONValue) -> Bool {
            guard let type = item["__type"]?.stringValue, let uid = try? UID(type) else { return true }
            return readable(uid)
        }
        switch value {
        case .array(let items): return .array(items.filter(keep))
        case .object(let object) where object["set"] != nil || object["connect"] != nil || object["disconnect"] != nil:
            var result = object
            for key in ["set", "connect", "disconnect"] {
                if case .array(let items)? = object[key] { result[key] = .array(items.filter(keep)) }
            }
            return .object(result)
        case .object:
            return keep(value) ? value : .null
        default:
            return value
        }
    }

    // Safe: a literal uid.
    static let uploadFile = try! UID("plugin::upload.file")
}
