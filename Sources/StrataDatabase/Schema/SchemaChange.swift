/// One step of a schema migration.
public enum SchemaChange: Sendable, Equatable, CustomStringConvertible {
    case createTable(TableDefinition)
    case addColumn(table: String, column: ColumnDefinition)
    case createIndex(table: String, index: IndexDefinition)
    case dropIndex(table: String, name: String)
    /// Drops a column no attribute maps to any more.
    case dropColumn(table: String, column: String, rowsWithData: Int)
    /// Changes a column's type, converting existing values.
    case retypeColumn(table: String, column: ColumnDefinition, from: String, rowsWithData: Int)

    /// Changes that lose or rewrite existing data; refused unless explicitly allowed.
    public var isDestructive: Bool {
        switch self {
        case .dropColumn(_, _, let rows), .retypeColumn(_, _, _, let rows): return rows > 0
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .createTable(let table): return "create table \(table.name)"
        case .addColumn(let table, let column): return "add column \(table).\(column.name)"
        case .createIndex(let table, let index): return "create index \(index.name) on \(table)"
        case .dropIndex(let table, let name): return "drop index \(name) on \(table)"
        case .dropColumn(let table, let column, let rows):
            return "drop column \(table).\(column)" + (rows > 0 ? " (\(rows) rows hold data)" : "")
        case .retypeColumn(let table, let column, let from, let rows):
            return "change column \(table).\(column.name) from \(from) to \(column.type)" + (rows > 0 ? " (\(rows) rows hold data)" : "")
        }
    }
}

/// The changes that bring a database to the schemas, in execution order.
public struct MigrationPlan: Sendable, Equatable {
    public var changes: [SchemaChange]

    public var isEmpty: Bool { changes.isEmpty }
    public var destructiveChanges: [SchemaChange] { changes.filter(\.isDestructive) }
}

/// Start-up refused because the schemas would drop or rewrite stored data.
public struct DestructiveMigrationError: Error, Sendable, CustomStringConvertible {
    public let changes: [SchemaChange]

    public var description: String {
        let list = changes.map { "  - \($0)" }.joined(separator: "\n")
        return """
            The schemas no longer match the database, and applying them would lose stored data:
            \(list)
            Nothing was changed. Restore the attributes, or re-run with --allow-destructive-migrations \
            to apply these changes (back up the database first).
            """
    }
}
