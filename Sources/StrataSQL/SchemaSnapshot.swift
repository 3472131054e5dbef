/// What exists in a database: tables with their columns and indexes, as introspected.
public struct SchemaSnapshot: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        /// The declared type as the database reports it (`varchar(255)`, `integer`…), lowercased.
        public var type: String
        public var isNullable: Bool
        public var isPrimaryKey: Bool

        public init(name: String, type: String, isNullable: Bool = true, isPrimaryKey: Bool = false) {
            self.name = name
            self.type = type
            self.isNullable = isNullable
            self.isPrimaryKey = isPrimaryKey
        }
    }

    public struct Index: Sendable, Equatable {
        public var name: String
        public var columns: [String]
        public var isUnique: Bool

        public init(name: String, columns: [String], isUnique: Bool) {
            self.name = name
            self.columns = columns
            self.isUnique = isUnique
        }
    }

    public struct Table: Sendable, Equatable {
        public var name: String
        public var columns: [Column]
        public var indexes: [Index]

        public init(name: String, columns: [Column], indexes: [Index]) {
            self.name = name
            self.columns = columns
            self.indexes = indexes
        }

        public func column(_ name: String) -> Column? { columns.first { $0.name == name } }
    }

    public var tables: [String: Table]

    public init(tables: [String: Table] = [:]) {
        self.tables = tables
    }
}
