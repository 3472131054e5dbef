public import StrataCore

/// Parses whole `schema.json` documents into ``ContentType`` and ``Component`` values.
public struct SchemaParser: Sendable {
    public var attributes: AttributeParser

    public init(attributes: AttributeParser = AttributeParser()) {
        self.attributes = attributes
    }

    /// Parses a content type schema. `uid` comes from the file's location
    /// (`src/api/<api>/content-types/<name>` → `api::<api>.<name>`).
    public func contentType(uid: UID, json: JSONValue, sourcePath: String? = nil) throws(SchemaError) -> ContentType {
        do {
            return try parseContentType(uid: uid, json: json, sourcePath: sourcePath)
        } catch var error {
            if error.file == nil { error.file = sourcePath }
            if error.model == nil { error.model = uid.rawValue }
            throw error
        }
    }

    private func parseContentType(uid: UID, json: JSONValue, sourcePath: String?) throws(SchemaError) -> ContentType {
        guard let object = json.objectValue else { throw SchemaError(reason: "schema must be a JSON object") }
        let kindName = object["kind"]?.stringValue ?? "collectionType"
        guard let kind = ContentTypeKind(rawValue: kindName) else {
            throw SchemaError(reason: "unknown kind \"\(kindName)\" (expected collectionType or singleType)")
        }
        guard let info = object["info"]?.objectValue else { throw SchemaError(reason: "missing \"info\"") }
        guard let singularName = info["singularName"]?.stringValue, Self.isKebabCase(singularName) else {
            throw SchemaError(reason: "\"info.singularName\" must be a kebab-case string")
        }
        guard let pluralName = info["pluralName"]?.stringValue, Self.isKebabCase(pluralName) else {
            throw SchemaError(reason: "\"info.pluralName\" must be a kebab-case string")
        }
        if singularName == pluralName {
            throw SchemaError(reason: "\"info.singularName\" and \"info.pluralName\" must differ")
        }
        let collectionName = object["collectionName"]?.stringValue ?? Self.defaultCollectionName(uid: uid, singularName: singularName, pluralName: pluralName)
        guard !collectionName.isEmpty else { throw SchemaError(reason: "\"collectionName\" must not be empty") }
        let options = object["options"]?.objectValue ?? [:]
        let draftAndPublish = try optionalFlag(options["draftAndPublish"], "options.draftAndPublish") ?? true
        let populateCreatorFields = try optionalFlag(options["populateCreatorFields"], "options.populateCreatorFields") ?? false
        var privateAttributes: [String] = []
        if let list = options["privateAttributes"], !list.isNull {
            guard let array = list.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw SchemaError(reason: "\"options.privateAttributes\" must be an array of strings")
            }
            privateAttributes = array.compactMap(\.stringValue)
        }
        let localized = try optionalFlag(object["pluginOptions"]?["i18n"]?["localized"], "pluginOptions.i18n.localized") ?? false
        var parsed = try userAttributes(object["attributes"])
        parsed.append(contentsOf: Self.systemAttributes(for: uid, populateCreatorFields: populateCreatorFields))
        return ContentType(
            uid: uid,
            kind: kind,
            collectionName: collectionName,
            singularName: singularName,
            pluralName: pluralName,
            displayName: info["displayName"]?.stringValue ?? singularName,
            description: info["description"]?.stringValue ?? "",
            draftAndPublish: draftAndPublish,
            populateCreatorFields: populateCreatorFields,
            privateAttributes: privateAttributes,
            localized: localized,
            attributes: parsed,
            sourcePath: sourcePath,
            raw: object
        )
    }

    /// Parses a component schema; `uid` is `<category>.<file name>`.
    public func component(uid: UID, json: JSONValue, sourcePath: String? = nil) throws(SchemaError) -> Component {
        do throws(SchemaError) {
            guard let object = json.objectValue else { throw SchemaError(reason: "schema must be a JSON object") }
            let collectionName = object["collectionName"]?.stringValue ?? "components_\(uid.namespaceCategory)_\(uid.name)".snakeCased
            let attributes = try userAttributes(object["attributes"])
            return Component(
                uid: uid,
                collectionName: collectionName,
                displayName: object["info"]?["displayName"]?.stringValue ?? uid.name,
                attributes: attributes,
                sourcePath: sourcePath,
                raw: object
            )
        } catch var error {
            if error.file == nil { error.file = sourcePath }
            if error.model == nil { error.model = uid.rawValue }
            throw error
        }
    }

    private func userAttributes(_ json: JSONValue?) throws(SchemaError) -> [Attribute] {
        guard let json, !json.isNull else { return [] }
        guard let object = json.objectValue else { throw SchemaError(reason: "\"attributes\" must be an object") }
        var result: [Attribute] = []
        for (name, value) in object {
            guard Self.isValidAttributeName(name) else {
                throw SchemaError(attribute: name, reason: "is not a valid attribute name")
            }
            if Self.reservedAttributeNames.contains(name.snakeCased) || Self.systemAttributeNames.contains(name) {
                throw SchemaError(attribute: name, reason: "is reserved by Strapi and cannot be used; rename it")
            }
            result.append(try attributes.parse(name: name, json: value))
        }
        return result
    }

    private func optionalFlag(_ value: JSONValue?, _ key: String) throws(SchemaError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw SchemaError(reason: "\"\(key)\" must be a boolean") }
        return flag
    }

    static func defaultCollectionName(uid: UID, singularName: String, pluralName: String) -> String {
        if case .plugin(let plugin) = uid.namespace {
            return "\(plugin)_\(singularName)".replacingDashes().lowercased()
        }
        return pluralName.replacingDashes()
    }

    static func isKebabCase(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && !name.hasSuffix("-") && !name.contains("--")
    }

    static func isValidAttributeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Snake-cased names Strapi refuses because they collide with its own columns.
    static let reservedAttributeNames: Set<String> = ["id", "document_id"]

    /// Names of the attributes Strata adds to every content type.
    public static let systemAttributeNames: Set<String> = [
        "createdAt", "updatedAt", "publishedAt", "createdBy", "updatedBy", "locale", "localizations",
    ]

    /// The attributes Strapi adds to every content type (timestamps, publication, creator fields, i18n).
    public static func systemAttributes(for uid: UID, populateCreatorFields: Bool) -> [Attribute] {
        func system(_ name: String, _ kind: AttributeKind, writable: Bool = false, visible: Bool = false, isPrivate: Bool = false) -> Attribute {
            var attribute = Attribute(name: name, kind: kind, configurable: false, writable: writable, visible: visible, isSystem: true)
            attribute.isPrivate = isPrivate
            attribute.searchable = false
            return attribute
        }
        // Safe: literal uid.
        let adminUser = try! UID("admin::user")
        return [
            system("createdAt", .datetime),
            system("updatedAt", .datetime),
            system("publishedAt", .datetime, writable: true),
            system("createdBy", .relation(Relation(kind: .oneToOne, target: adminUser, useJoinTable: false)), isPrivate: !populateCreatorFields),
            system("updatedBy", .relation(Relation(kind: .oneToOne, target: adminUser, useJoinTable: false)), isPrivate: !populateCreatorFields),
            system("locale", .string, writable: true),
            system("localizations", .relation(Relation(kind: .oneToMany, target: uid, useJoinTable: false))),
        ]
    }
}

extension UID {
    /// The category of a component uid, or the namespace name otherwise.
    public var namespaceCategory: String {
        switch namespace {
        case .component(let category): return category
        case .api(let name), .plugin(let name): return name
        case .admin: return "admin"
        case .strapi: return "strapi"
        }
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
