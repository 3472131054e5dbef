public import StrataCore

/// `collectionType` or `singleType`.
public enum ContentTypeKind: String, Sendable, Hashable {
    case collectionType
    case singleType
}

/// A content type (`schema.json` under `src/api/<api>/content-types/<name>/`, or a plugin's).
public struct ContentType: Sendable, Hashable {
    /// The values, shared by copies until one of them changes: a content type travels with
    /// every request (repository, middleware context, model), and copying fourteen fields
    /// retained each of them.
    private var storage: Storage

    struct Values: Sendable, Hashable {
        var uid: UID
        var kind: ContentTypeKind
        var collectionName: String
        var singularName: String
        var pluralName: String
        var displayName: String
        var description: String
        var draftAndPublish: Bool
        var populateCreatorFields: Bool
        var privateAttributes: [String]
        var localized: Bool
        var attributes: [Attribute]
        var sourcePath: String?
        var raw: JSONObject
    }

    /// Copy-on-write box: changed in place only while uniquely referenced.
    private final class Storage: @unchecked Sendable {
        var values: Values
        init(_ values: Values) { self.values = values }
    }

    private mutating func mutate(_ change: (inout Values) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.values) }
        change(&storage.values)
    }

    public static func == (lhs: ContentType, rhs: ContentType) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.values)
    }

        public var uid: UID {
        get { storage.values.uid }
        set { mutate { $0.uid = newValue } }
    }
        public var kind: ContentTypeKind {
        get { storage.values.kind }
        set { mutate { $0.kind = newValue } }
    }
        public var collectionName: String {
        get { storage.values.collectionName }
        set { mutate { $0.collectionName = newValue } }
    }
        public var singularName: String {
        get { storage.values.singularName }
        set { mutate { $0.singularName = newValue } }
    }
        public var pluralName: String {
        get { storage.values.pluralName }
        set { mutate { $0.pluralName = newValue } }
    }
        public var displayName: String {
        get { storage.values.displayName }
        set { mutate { $0.displayName = newValue } }
    }
        public var description: String {
        get { storage.values.description }
        set { mutate { $0.description = newValue } }
    }
        public var draftAndPublish: Bool {
        get { storage.values.draftAndPublish }
        set { mutate { $0.draftAndPublish = newValue } }
    }
        public var populateCreatorFields: Bool {
        get { storage.values.populateCreatorFields }
        set { mutate { $0.populateCreatorFields = newValue } }
    }
        public var privateAttributes: [String] {
        get { storage.values.privateAttributes }
        set { mutate { $0.privateAttributes = newValue } }
    }
    /// `pluginOptions.i18n.localized` on the type.
        public var localized: Bool {
        get { storage.values.localized }
        set { mutate { $0.localized = newValue } }
    }
    /// User attributes in schema order, followed by Strata's system attributes.
        public var attributes: [Attribute] {
        get { storage.values.attributes }
        set { mutate { $0.attributes = newValue } }
    }
    /// Where the schema came from, for error messages (`nil` for built-in types).
        public var sourcePath: String? {
        get { storage.values.sourcePath }
        set { mutate { $0.sourcePath = newValue } }
    }
        public var raw: JSONObject {
        get { storage.values.raw }
        set { mutate { $0.raw = newValue } }
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
        storage = Storage(Values(uid: uid, kind: kind, collectionName: collectionName, singularName: singularName, pluralName: pluralName, displayName: displayName, description: description, draftAndPublish: draftAndPublish, populateCreatorFields: populateCreatorFields, privateAttributes: privateAttributes, localized: localized, attributes: attributes, sourcePath: sourcePath, raw: raw))
    }

    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    /// The attributes the user declared, without system ones.
    public var userAttributes: [Attribute] { attributes.filter { !$0.isSystem } }

    /// Whether an attribute is localized: the type must be localized, and the attribute must not
    /// opt out (`pluginOptions.i18n.localized: false`).
    public func isLocalized(_ attribute: Attribute) -> Bool {
        localized && (attribute.localized ?? true)
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
