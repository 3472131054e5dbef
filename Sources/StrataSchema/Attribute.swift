public import StrataCore

/// One attribute of a content type or component, parsed from `schema.json`.
///
/// The original JSON is kept in ``raw`` so schemas can be echoed back (export archives, the
/// content-type-builder API) exactly as written.
public struct Attribute: Sendable, Hashable {
    public var name: String
    public var kind: AttributeKind
    public var required: Bool
    /// Checked by the validator (not a database constraint), scoped like Strapi's.
    public var unique: Bool
    public var isPrivate: Bool
    public var configurable: Bool
    /// `false` for system attributes such as `createdAt`; writes to them are rejected.
    public var writable: Bool
    /// `false` hides an attribute from output (e.g. `publishedAt` is writable but not visible to the CTB).
    public var visible: Bool
    /// Whether `_q` searches this attribute (`searchable: false` opts out).
    public var searchable: Bool
    public var defaultValue: JSONValue?
    public var min: Double?
    public var max: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var regex: String?
    /// `pluginOptions.i18n.localized`; `nil` when the schema does not say.
    public var localized: Bool?
    /// The experimental `column` block (`name`, `unique`, `notNullable`, `defaultTo`, `type`, `args`).
    public var column: JSONObject?
    /// System attributes (`id`, `documentId`, timestamps, `locale`…) are added by Strata, not the user.
    public var isSystem: Bool
    public var raw: JSONObject

    public init(
        name: String,
        kind: AttributeKind,
        required: Bool = false,
        unique: Bool = false,
        isPrivate: Bool = false,
        configurable: Bool = true,
        writable: Bool = true,
        visible: Bool = true,
        searchable: Bool = true,
        defaultValue: JSONValue? = nil,
        isSystem: Bool = false,
        raw: JSONObject = [:]
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.unique = unique
        self.isPrivate = isPrivate
        self.configurable = configurable
        self.writable = writable
        self.visible = visible
        self.searchable = searchable
        self.defaultValue = defaultValue
        self.isSystem = isSystem
        self.raw = raw
    }
}

/// The type of an attribute, with the options that belong to that type.
public enum AttributeKind: Sendable, Hashable {
    case string
    case text
    case richtext
    case blocks
    case enumeration([String])
    case email
    case password
    case uid(targetField: String?)
    case date
    case time
    case datetime
    case timestamp
    case integer
    case biginteger
    case float
    case decimal
    case boolean
    case json
    case media(multiple: Bool, allowedTypes: [String]?)
    case relation(Relation)
    case component(UID, repeatable: Bool)
    case dynamiczone([UID])

    /// The `type` string Strapi writes in `schema.json`.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .text: return "text"
        case .richtext: return "richtext"
        case .blocks: return "blocks"
        case .enumeration: return "enumeration"
        case .email: return "email"
        case .password: return "password"
        case .uid: return "uid"
        case .date: return "date"
        case .time: return "time"
        case .datetime: return "datetime"
        case .timestamp: return "timestamp"
        case .integer: return "integer"
        case .biginteger: return "biginteger"
        case .float: return "float"
        case .decimal: return "decimal"
        case .boolean: return "boolean"
        case .json: return "json"
        case .media: return "media"
        case .relation: return "relation"
        case .component: return "component"
        case .dynamiczone: return "dynamiczone"
        }
    }

    /// Scalar attributes are stored in a column of the owner's table.
    public var isScalar: Bool {
        switch self {
        case .media, .relation, .component, .dynamiczone: return false
        default: return true
        }
    }

    /// Attributes holding text that `_q` and the LIKE operators work on.
    public var isStringLike: Bool {
        switch self {
        case .string, .text, .richtext, .email, .uid, .enumeration: return true
        default: return false
        }
    }

    public var isNumber: Bool {
        switch self {
        case .integer, .biginteger, .float, .decimal: return true
        default: return false
        }
    }
}

/// A relation attribute's options.
public struct Relation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case oneToOne, oneToMany, manyToOne, manyToMany
        case morphToOne, morphToMany, morphOne, morphMany

        public var isMorph: Bool {
            switch self {
            case .morphToOne, .morphToMany, .morphOne, .morphMany: return true
            default: return false
            }
        }
    }

    public var kind: Kind
    /// `nil` only for `morphTo*` relations, whose target is per row.
    public var target: UID?
    public var inversedBy: String?
    public var mappedBy: String?
    public var morphBy: String?
    /// `false` for Strapi's creator fields, stored as an FK column instead of a link table.
    public var useJoinTable: Bool

    public init(kind: Kind, target: UID?, inversedBy: String? = nil, mappedBy: String? = nil, morphBy: String? = nil, useJoinTable: Bool = true) {
        self.kind = kind
        self.target = target
        self.inversedBy = inversedBy
        self.mappedBy = mappedBy
        self.morphBy = morphBy
        self.useJoinTable = useJoinTable
    }

    /// The owning side of a relation stores the link rows; `mappedBy` sides read them.
    public var isOwner: Bool { mappedBy == nil }
    public var isBidirectional: Bool { inversedBy != nil || mappedBy != nil }
}
