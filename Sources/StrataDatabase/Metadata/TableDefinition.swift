public import StrataSQL

/// A table as Strata wants it to exist: what schema sync compares the database against.
public struct TableDefinition: Sendable, Equatable {
    public var name: String
    public var columns: [ColumnDefinition]
    public var indexes: [IndexDefinition]
    public var foreignKeys: [ForeignKeyDefinition]

    public init(name: String, columns: [ColumnDefinition], indexes: [IndexDefinition] = [], foreignKeys: [ForeignKeyDefinition] = []) {
        self.name = name
        self.columns = columns
        self.indexes = indexes
        self.foreignKeys = foreignKeys
    }

    public func column(_ name: String) -> ColumnDefinition? {
        columns.first { $0.name == name }
    }
}

public struct ColumnDefinition: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var isPrimaryKey: Bool
    public var isNotNull: Bool

    public init(name: String, type: ColumnType, isPrimaryKey: Bool = false, isNotNull: Bool = false) {
        self.name = name
        self.type = type
        self.isPrimaryKey = isPrimaryKey
        self.isNotNull = isNotNull || isPrimaryKey
    }

    public static func id() -> ColumnDefinition {
        ColumnDefinition(name: "id", type: .increments, isPrimaryKey: true)
    }
}

public struct IndexDefinition: Sendable, Equatable {
    public var name: String
    public var columns: [String]
    public var isUnique: Bool

    public init(name: String, columns: [String], isUnique: Bool = false) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
    }
}

public struct ForeignKeyDefinition: Sendable, Equatable {
    public enum OnDelete: String, Sendable {
        case cascade = "CASCADE"
        case setNull = "SET NULL"
    }

    public var name: String
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    public var onDelete: OnDelete

    public init(name: String, columns: [String], referencedTable: String, referencedColumns: [String] = ["id"], onDelete: OnDelete) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
    }
}
