public import StrataCore
public import StrataSchema

/// Strapi's internal, normalised form of a content type or component: the shape of a record in
/// an archive's `schemas/` stage and of the transfer protocol's `getSchemas`, and what the
/// import's schema check compares.
public enum NormalizedSchema {
    /// The keys Strapi keeps, in its order.
    static let keys = ["collectionName", "info", "options", "pluginOptions", "attributes", "kind", "modelType", "modelName", "uid", "plugin", "globalId"]

    /// Every content type then every component of a registry.
    public static func all(_ registry: SchemaRegistry) -> [JSONObject] {
        registry.contentTypes.map(contentType) + registry.components.map(component)
    }

    public static func contentType(_ type: ContentType) -> JSONObject {
        var record = JSONObject()
        record.appendUnique("collectionName", .string(type.collectionName))
        record.appendUnique("info", type.raw["info"] ?? .object(["singularName": .string(type.singularName), "pluralName": .string(type.pluralName), "displayName": .string(type.displayName)]))
        var options = type.raw["options"]?.objectValue ?? JSONObject()
        if options["draftAndPublish"] == nil { options.appendUnique("draftAndPublish", .bool(type.draftAndPublish)) }
        record.appendUnique("options", .object(options))
        if let pluginOptions = type.raw["pluginOptions"] { record.appendUnique("pluginOptions", pluginOptions) }
        var attributes = JSONObject()
        for attribute in type.userAttributes { attributes.appendUnique(attribute.name, .object(attribute.raw)) }
        for (name, value) in systemAttributes(type) { attributes.appendUnique(name, value) }
        record.appendUnique("attributes", .object(attributes))
        record.appendUnique("kind", .string(type.kind.rawValue))
        record.appendUnique("modelType", "contentType")
        record.appendUnique("modelName", .string(type.singularName))
        record.appendUnique("uid", .string(type.uid.rawValue))
        switch type.uid.namespace {
        case .plugin(let plugin): record.appendUnique("plugin", .string(plugin))
        case .admin: record.appendUnique("plugin", "admin")
        default: break
        }
        record.appendUnique("globalId", .string(type.raw["globalId"]?.stringValue ?? globalId(type.uid, modelName: type.singularName)))
        return record
    }

    public static func component(_ component: Component) -> JSONObject {
        var record = JSONObject()
        record.appendUnique("collectionName", .string(component.collectionName))
        record.appendUnique("info", component.raw["info"] ?? .object(["displayName": .string(component.displayName)]))
        record.appendUnique("options", component.raw["options"] ?? .object([:]))
        if let pluginOptions = component.raw["pluginOptions"] { record.appendUnique("pluginOptions", pluginOptions) }
        var attributes = JSONObject()
        for attribute in component.attributes where !attribute.isSystem { attributes.appendUnique(attribute.name, .object(attribute.raw)) }
        record.appendUnique("attributes", .object(attributes))
        record.appendUnique("modelType", "component")
        record.appendUnique("modelName", .string(component.name))
        record.appendUnique("uid", .string(component.uid.rawValue))
        record.appendUnique("globalId", .string(component.raw["globalId"]?.stringValue ?? globalId(component.uid, modelName: component.name)))
        return record
    }

    /// The attributes Strapi 5 adds to every content type, exactly as its normalised model has them.
    static func systemAttributes(_ type: ContentType) -> [(String, JSONValue)] {
        let creator: JSONValue = [
            "type": "relation", "relation": "oneToOne", "target": "admin::user", "configurable": false, "writable": false,
            "visible": false, "useJoinTable": false, "private": .bool(!type.populateCreatorFields),
        ]
        return [
            ("createdAt", ["type": "datetime"]),
            ("updatedAt", ["type": "datetime"]),
            ("publishedAt", ["type": "datetime", "configurable": false, "writable": true, "visible": false]),
            ("createdBy", creator),
            ("updatedBy", creator),
            ("locale", ["writable": true, "private": true, "configurable": false, "visible": false, "type": "string"]),
            ("localizations", [
                "type": "relation", "relation": "oneToMany", "target": .string(type.uid.rawValue), "writable": false, "private": true,
                "configurable": false, "visible": false, "unstable_virtual": true,
                "joinColumn": ["name": "document_id", "referencedColumn": "document_id", "referencedTable": .string(type.collectionName)],
            ]),
        ]
    }

    /// Strapi's `globalId`: PascalCase of the model name, prefixed by the plugin (`UploadFile`),
    /// `Admin` for admin types, `Component<Category>` for components.
    static func globalId(_ uid: UID, modelName: String) -> String {
        switch uid.namespace {
        case .api: return pascalCase(modelName)
        case .plugin(let plugin): return pascalCase("\(plugin)-\(modelName)")
        case .admin: return pascalCase("admin-\(modelName)")
        case .strapi: return pascalCase("strapi-\(modelName)")
        case .component(let category): return pascalCase("component_\(category).\(modelName)")
        }
    }

    /// lodash `upperFirst(camelCase(s))`.
    static func pascalCase(_ text: String) -> String {
        LodashWords.words(text).map { word in
            let lower = word.lowercased()
            return lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined()
    }
}
