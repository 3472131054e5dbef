public import StrataCore

/// `collectionType` or `singleType`.
public enum ContentTypeKind: String, Sendable, Hashable {
    case collectionType
    case singleType
}

/// A content type (`schema.json` under `src/api/<api>/content-types/<name>/`, or a plugin's).
///
/// Its ``Properties`` (`contentType.uid`, `.attributes`…) sit in one box shared by copies until one
/// of them changes: a content type travels with every request (repository, middleware context,
/// model), and copying fourteen fields retained each of them.
@dynamicMemberLookup
public struct ContentType: Sendable, Hashable {
    public struct Properties: Sendable, Hashable {
        public var uid: UID
        public var kind: ContentTypeKind
        public var collectionName: String
        public var singularName: String
        public var pluralName: String
        public var displayName: String
        public var description: String
        public var draftAndPublish: Bool
        public var populateCreatorFields: Bool
        public var privateAttributes: [String]
        /// `pluginOptions.i18n.localized` on the type.
        public var localized: Bool
        /// User attributes in schema order, followed by Strata's system attributes.
        public var attributes: [Attribute]
        /// Where the schema came from, for error messages (`nil` for built-in types).
        public var sourcePath: String?
        public var raw: JSONObject
    }

    /// Copy-on-write box: changed in place only while uniquely referenced.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline var properties: Properties
        @usableFromInline init(_ properties: Properties) { self.properties = properties }
    }

    @usableFromInline var storage: Storage

    /// Inlinable, so a property read (`contentType.localized`) compiles to a load, not a key path projection.
    @inlinable
    public subscript<Value>(dynamicMember path: WritableKeyPath<Properties, Value>) -> Value {
        get { storage.properties[keyPath: path] }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.properties) }
            storage.properties[keyPath: path] = newValue
        }
    }

    public static func == (lhs: ContentType, rhs: ContentType) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.properties == rhs.storage.properties
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.properties)
    }

    public init(
        uid: UID,
        kind: ContentTypeKind,
        collectionName: String,
        singularName: String,
        pluralName: String,
        displayName: String,
        description: String = "",
        draftAndPublish: Bool = true,
        populateCreatorFields: Bool = false,
        privateAttributes: [String] = [],
        localized: Bool = false,
        attributes: [Attribute],
        sourcePath: String? = nil,
        raw: JSONObject = [:]
    ) {
        storage = Storage(Properties(uid: uid, kind: kind, collectionName: collectionName, singularName: singularName, pluralName: pluralName, displayName: displayName, description: description, draftAndPublish: draftAndPublish, populateCreatorFields: populateCreatorFields, privateAttributes: privateAttributes, localized: localized, attributes: attributes, sourcePath: sourcePath, raw: raw))
    }

    public func attribute(named name: String) -> Attribute? {
        storage.properties.attributes.first { $0.name == name }
    }

    /// The attributes the user declared, without system ones.
    public var userAttributes: [Attribute] { storage.properties.attributes.filter { !$0.isSystem } }

    /// Whether an attribute is localized: the type must be localized, and the attribute must not
    /// opt out (`pluginOptions.i18n.localized: false`).
    public func isLocalized(_ attribute: Attribute) -> Bool {
        storage.properties.localized && (attribute.localized ?? true)
    }
}

/// A component (`src/components/<category>/<name>.json`).
public struct Component: Sendable, Hashable {
    public var uid: UID
    public var category: String
    /// The file name, which Strapi uses as the component's singular name.
    public var name: String
    public var collectionName: String
    public var displayName: String
    public var attributes: [Attribute]
    public var sourcePath: String?
    public var raw: JSONObject

    public init(uid: UID, collectionName: String, displayName: String, attributes: [Attribute], sourcePath: String? = nil, raw: JSONObject = [:]) {
        self.uid = uid
        if case .component(let category) = uid.namespace {
            self.category = category
        } else {
            self.category = ""
        }
        self.name = uid.name
        self.collectionName = collectionName
        self.displayName = displayName
        self.attributes = attributes
        self.sourcePath = sourcePath
        self.raw = raw
    }

    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }
}
