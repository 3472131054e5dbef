public import StrataCore
public import StrataSchema
public import StrataSQL

/// The storage model of a content type or component: its table and, for every attribute,
/// where the value lives (a column, a link table, the component table, the media morph table).
/// A class: every read carries its model through several layers, and a copy of the struct
/// retained each of its fields.
public final class Model: Sendable {
    public enum Kind: Sendable {
        case contentType(ContentType)
        case component(Component)
    }

    public let uid: UID
    public let kind: Kind
    public let tableName: String
    /// Snake-cased singular name, used for link-table column names (`article_id`).
    public let singularName: String
    /// Fields in column order: `id`, `documentId` (content types), user attributes, system attributes.
    public let fields: [Field]
    /// `<table>_cmps`, when the model has component or dynamic zone attributes.
    public let componentJoinTable: ComponentJoinTable?
    private let fieldIndex: [String: Int]

    init(uid: UID, kind: Kind, tableName: String, singularName: String, fields: [Field], componentJoinTable: ComponentJoinTable?) {
        self.uid = uid
        self.kind = kind
        self.tableName = tableName
        self.singularName = singularName
        self.fields = fields
        self.componentJoinTable = componentJoinTable
        var index: [String: Int] = [:]
        for (position, field) in fields.enumerated() { index[field.name] = position }
        fieldIndex = index
    }

    public func field(_ name: String) -> Field? {
        fieldIndex[name].map { fields[$0] }
    }

    public var contentType: ContentType? {
        if case .contentType(let type) = kind { return type }
        return nil
    }

    public var isContentType: Bool { contentType != nil }

    /// Whether rows have a draft and a published version.
    public var hasDraftAndPublish: Bool { contentType?.draftAndPublish ?? false }

    /// Fields stored in a column of this model's table.
    public var columnFields: [Field] {
        fields.filter { if case .column = $0.storage { return true } else { return false } }
    }
}

/// One attribute of a model, with where its value is stored.
///
/// A class: metadata is built once per schema and never changes, and every filter, sort and
/// populate looks fields up, so a lookup hands out one reference instead of copying the
/// attribute and its storage.
public final class Field: Sendable {
    public let name: String
    /// `nil` for `id` and `documentId`, which schemas do not declare.
    public let attribute: Attribute?
    public let storage: FieldStorage

    init(name: String, attribute: Attribute?, storage: FieldStorage) {
        self.name = name
        self.attribute = attribute
        self.storage = storage
    }

    /// The column, for fields stored in the model's table.
    public var column: Column? {
        if case .column(let column) = storage { return column }
        return nil
    }
}

/// A column of a model's table.
public struct Column: Sendable, Hashable {
    public let name: String
    public let type: ColumnType
    /// How values are converted between JSON and the database.
    public let valueType: ValueType
}

/// The value conversion a column needs (finer than its SQL type: `email` and `uid` are strings).
public enum ValueType: Sendable, Hashable {
    case id
    case string
    case text
    case integer
    case bigInteger
    case float
    case decimal
    case boolean
    case date
    case time
    case datetime
    case json
}

/// Where a field's value lives.
public enum FieldStorage: Sendable {
    case column(Column)
    /// A relation stored as a foreign key column of this table (Strapi's `useJoinTable: false`).
    case joinColumn(column: String, target: UID)
    /// A relation stored in a link table; `isOwner` is false for the `mappedBy` side, which reads the
    /// owner's table with the columns swapped.
    case joinTable(JoinTable, target: UID, relation: Relation.Kind, isOwner: Bool)
    /// Components and dynamic zones, through `<table>_cmps`.
    case components(ComponentJoinTable, uids: [UID], repeatable: Bool, dynamicZone: Bool)
    /// Media, through `files_related_mph`.
    case media(MorphJoinTable, multiple: Bool)
    /// A morph relation other than media (stored in a `_mph` table).
    case morph(MorphJoinTable, relation: Relation.Kind)
    /// Not stored: `localizations` is derived from rows sharing the documentId.
    case localizations
}

/// A relation link table as seen from one side.
public struct JoinTable: Sendable, Hashable {
    public let name: String
    /// Column holding this side's row id.
    public let joinColumn: String
    /// Column holding the other side's row id.
    public let inverseJoinColumn: String
    /// Order of the other side's rows as seen from this side.
    public let orderColumn: String?
    /// Order of this side's rows as seen from the other side.
    public let inverseOrderColumn: String?

    /// The same table seen from the other side.
    public var inverted: JoinTable {
        JoinTable(name: name, joinColumn: inverseJoinColumn, inverseJoinColumn: joinColumn, orderColumn: inverseOrderColumn, inverseOrderColumn: orderColumn)
    }
}

/// `<table>_cmps(id, entity_id, cmp_id, component_type, field, order)`.
public struct ComponentJoinTable: Sendable, Hashable {
    public let name: String
    public let entityColumn = "entity_id"
    public let componentColumn = "cmp_id"
    public let typeColumn = "component_type"
    public let fieldColumn = "field"
    public let orderColumn = "order"
}

/// A polymorphic link table such as `files_related_mph(id, file_id, related_id, related_type, field, order)`.
public struct MorphJoinTable: Sendable, Hashable {
    public let name: String
    /// Column holding the id of the row that owns the morph attribute (`file_id`).
    public let joinColumn: String
    /// Column holding the related row id (`related_id`).
    public let idColumn: String
    /// Column holding the related row's uid (`related_type`).
    public let typeColumn: String
    public let fieldColumn = "field"
    public let orderColumn = "order"
}
