public import StrataCore

/// Turns one `attributes` entry of a `schema.json` into an ``Attribute``.
public struct AttributeParser: Sendable {
    public var customFields: CustomFieldRegistry

    public init(customFields: CustomFieldRegistry = .init()) {
        self.customFields = customFields
    }

    public func parse(name: String, json: JSONValue) throws(SchemaError) -> Attribute {
        guard let object = json.objectValue else {
            throw SchemaError(attribute: name, reason: "must be an object")
        }
        guard let type = object["type"]?.stringValue else {
            throw SchemaError(attribute: name, reason: "missing \"type\"")
        }
        let kind = try parseKind(type: type, object: object, name: name)
        var attribute = Attribute(name: name, kind: kind, raw: object)
        attribute.required = try flag(object, "required", name)
        attribute.unique = try flag(object, "unique", name)
        attribute.isPrivate = try flag(object, "private", name)
        attribute.configurable = try flag(object, "configurable", name, default: true)
        attribute.writable = try flag(object, "writable", name, default: true)
        attribute.visible = try flag(object, "visible", name, default: true)
        attribute.searchable = try flag(object, "searchable", name, default: true)
        attribute.defaultValue = object["default"]
        attribute.min = try number(object, "min", name)
        attribute.max = try number(object, "max", name)
        attribute.minLength = try integer(object, "minLength", name)
        attribute.maxLength = try integer(object, "maxLength", name)
        if let regex = object["regex"] {
            guard let pattern = regex.stringValue else { throw SchemaError(attribute: name, reason: "\"regex\" must be a string") }
            attribute.regex = pattern
        }
        if let localized = object["pluginOptions"]?["i18n"]?["localized"] {
            guard let flag = localized.boolValue else {
                throw SchemaError(attribute: name, reason: "\"pluginOptions.i18n.localized\" must be a boolean")
            }
            attribute.localized = flag
        }
        if let column = object["column"] {
            guard let columnObject = column.objectValue else { throw SchemaError(attribute: name, reason: "\"column\" must be an object") }
            attribute.column = columnObject
        }
        if let min = attribute.min, let max = attribute.max, min > max {
            throw SchemaError(attribute: name, reason: "\"min\" (\(min)) is greater than \"max\" (\(max))")
        }
        if let min = attribute.minLength, let max = attribute.maxLength, min > max {
            throw SchemaError(attribute: name, reason: "\"minLength\" (\(min)) is greater than \"maxLength\" (\(max))")
        }
        return attribute
    }

    private func parseKind(type: String, object: JSONObject, name: String) throws(SchemaError) -> AttributeKind {
        switch type {
        case "string": return .string
        case "text": return .text
        case "richtext": return .richtext
        case "blocks": return .blocks
        case "email": return .email
        case "password": return .password
        case "date": return .date
        case "time": return .time
        case "datetime": return .datetime
        case "timestamp": return .timestamp
        case "integer": return .integer
        case "biginteger": return .biginteger
        case "float": return .float
        case "decimal": return .decimal
        case "boolean": return .boolean
        case "json": return .json
        case "uid":
            if let target = object["targetField"], !target.isNull {
                guard let field = target.stringValue else { throw SchemaError(attribute: name, reason: "\"targetField\" must be a string") }
                return .uid(targetField: field)
            }
            return .uid(targetField: nil)
        case "enumeration":
            guard let values = object["enum"]?.arrayValue else {
                throw SchemaError(attribute: name, reason: "enumeration needs an \"enum\" array")
            }
            var strings: [String] = []
            for value in values {
                guard let string = value.stringValue else {
                    throw SchemaError(attribute: name, reason: "\"enum\" values must be strings")
                }
                strings.append(string)
            }
            return .enumeration(strings)
        case "media":
            let multiple = try flag(object, "multiple", name)
            var allowed: [String]?
            if let types = object["allowedTypes"], !types.isNull {
                guard let array = types.arrayValue else {
                    throw SchemaError(attribute: name, reason: "\"allowedTypes\" must be an array")
                }
                allowed = array.compactMap(\.stringValue)
            }
            return .media(multiple: multiple, allowedTypes: allowed)
        case "relation":
            return .relation(try parseRelation(object, name))
        case "component":
            guard let component = object["component"]?.stringValue else {
                throw SchemaError(attribute: name, reason: "component needs a \"component\" uid")
            }
            let uid = try componentUID(component, name)
            return .component(uid, repeatable: try flag(object, "repeatable", name))
        case "dynamiczone":
            guard let components = object["components"]?.arrayValue else {
                throw SchemaError(attribute: name, reason: "dynamiczone needs a \"components\" array")
            }
            var uids: [UID] = []
            for component in components {
                guard let string = component.stringValue else {
                    throw SchemaError(attribute: name, reason: "\"components\" entries must be strings")
                }
                uids.append(try componentUID(string, name))
            }
            return .dynamiczone(uids)
        case "customField":
            guard let field = object["customField"]?.stringValue else {
                throw SchemaError(attribute: name, reason: "customField needs a \"customField\" name")
            }
            let underlying = customFields.underlyingType(of: field)
            var copy = object
            copy["type"] = .string(underlying)
            return try parseKind(type: underlying, object: copy, name: name)
        default:
            throw SchemaError(attribute: name, reason: "unknown type \"\(type)\"")
        }
    }

    private func componentUID(_ value: String, _ name: String) throws(SchemaError) -> UID {
        guard let uid = try? UID(value), uid.isComponent else {
            throw SchemaError(attribute: name, reason: "\"\(value)\" is not a component uid (expected <category>.<name>)")
        }
        return uid
    }

    private func parseRelation(_ object: JSONObject, _ name: String) throws(SchemaError) -> Relation {
        guard let kindName = object["relation"]?.stringValue else {
            throw SchemaError(attribute: name, reason: "relation needs a \"relation\" kind")
        }
        guard let kind = Relation.Kind(rawValue: kindName) else {
            throw SchemaError(attribute: name, reason: "unknown relation \"\(kindName)\"")
        }
        var target: UID?
        if let targetName = object["target"]?.stringValue {
            guard let uid = try? UID(targetName), !uid.isComponent else {
                throw SchemaError(attribute: name, reason: "\"\(targetName)\" is not a content type uid")
            }
            target = uid
        } else if kind != .morphToOne && kind != .morphToMany {
            throw SchemaError(attribute: name, reason: "relation needs a \"target\"")
        }
        func optionalString(_ key: String) throws(SchemaError) -> String? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw SchemaError(attribute: name, reason: "\"\(key)\" must be a string") }
            return string
        }
        let inversedBy = try optionalString("inversedBy")
        let mappedBy = try optionalString("mappedBy")
        if inversedBy != nil && mappedBy != nil {
            throw SchemaError(attribute: name, reason: "a relation cannot have both \"inversedBy\" and \"mappedBy\"")
        }
        return Relation(
            kind: kind,
            target: target,
            inversedBy: inversedBy,
            mappedBy: mappedBy,
            morphBy: try optionalString("morphBy"),
            useJoinTable: try flag(object, "useJoinTable", name, default: true)
        )
    }

    private func flag(_ object: JSONObject, _ key: String, _ name: String, default fallback: Bool = false) throws(SchemaError) -> Bool {
        guard let value = object[key], !value.isNull else { return fallback }
        guard let flag = value.boolValue else { throw SchemaError(attribute: name, reason: "\"\(key)\" must be a boolean") }
        return flag
    }

    private func number(_ object: JSONObject, _ key: String, _ name: String) throws(SchemaError) -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.doubleValue { return number }
        if let string = value.stringValue, let number = Double(string) { return number }
        throw SchemaError(attribute: name, reason: "\"\(key)\" must be a number")
    }

    private func integer(_ object: JSONObject, _ key: String, _ name: String) throws(SchemaError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.intValue, number >= 0 { return Int(number) }
        if let string = value.stringValue, let number = Int(string), number >= 0 { return number }
        throw SchemaError(attribute: name, reason: "\"\(key)\" must be a non-negative integer")
    }
}

/// Maps custom fields (`type: customField`) to the data type they store.
///
/// Strapi learns this from the plugin's JavaScript registration, which Strata cannot run, so
/// well-known fields are listed here; unknown ones are stored as `json`, which round-trips any value.
public struct CustomFieldRegistry: Sendable {
    public var types: [String: String]

    public static let builtIn: [String: String] = [
        "plugin::color-picker.color": "string",
        "plugin::ckeditor5.CKEditor": "richtext",
        "plugin::ckeditor.CKEditor": "richtext",
        "plugin::strapi-plugin-rich-text.rich-text": "richtext",
        "plugin::country-select.country": "string",
        "plugin::multi-select.multi-select": "json",
        "plugin::google-maps.location-picker": "json",
        "plugin::strapi-advanced-uuid.uuid": "string",
        "plugin::slug.slug": "string",
    ]

    public init(types: [String: String] = CustomFieldRegistry.builtIn) {
        self.types = types
    }

    public func underlyingType(of customField: String) -> String {
        types[customField] ?? "json"
    }
}
