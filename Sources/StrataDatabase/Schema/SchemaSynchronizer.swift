public import Logging
import SQLKit
import StrataCore
public import StrataSQL

/// Brings the database to the tables the schemas need: additive changes always, destructive
/// ones (dropping or retyping a column that holds data) only when explicitly allowed.
///
/// Unlike Strapi, sync never drops a table and never drops data silently (strapi#12626).
public struct SchemaSynchronizer: Sendable {
    public let client: DatabaseClient
    public let metadata: StorageMetadata

    public init(client: DatabaseClient, metadata: StorageMetadata) {
        self.client = client
        self.metadata = metadata
    }

    /// Compares the database with the schemas.
    public func plan() async throws -> MigrationPlan {
        let snapshot = try await client.introspect()
        var changes: [SchemaChange] = []
        for table in metadata.tables {
            guard let existing = snapshot.tables[table.name] else {
                changes.append(.createTable(table))
                continue
            }
            for column in table.columns where !column.isPrimaryKey {
                guard let current = existing.column(column.name) else {
                    changes.append(.addColumn(table: table.name, column: column))
                    continue
                }
                if !client.dialect.isCompatible(existingType: current.type, with: column.type) {
                    let rows = try await rowsWithData(table: table.name, column: column.name)
                    changes.append(.retypeColumn(table: table.name, column: column, from: current.type, rowsWithData: rows))
                }
            }
            let wanted = Set(table.columns.map(\.name))
            for column in existing.columns where !wanted.contains(column.name) && !column.isPrimaryKey {
                let rows = try await rowsWithData(table: table.name, column: column.name)
                for index in existing.indexes where index.columns.contains(column.name) && !index.name.hasPrefix("sqlite_") {
                    changes.append(.dropIndex(table: table.name, name: index.name))
                }
                changes.append(.dropColumn(table: table.name, column: column.name, rowsWithData: rows))
            }
            let existingIndexes = Set(existing.indexes.map(\.name))
            for index in table.indexes where !existingIndexes.contains(index.name) {
                changes.append(.createIndex(table: table.name, index: index))
            }
        }
        return MigrationPlan(changes: changes)
    }

    /// Plans and applies the migration in one transaction.
    @discardableResult
    public func synchronize(allowDestructive: Bool = false, logger: Logger? = nil) async throws -> MigrationPlan {
        let plan = try await plan()
        if !allowDestructive, !plan.destructiveChanges.isEmpty {
            throw DestructiveMigrationError(changes: plan.destructiveChanges)
        }
        guard !plan.isEmpty else { return plan }
        try await client.transaction {
            for change in plan.changes {
                logger?.info("schema: \(change)")
                for statement in statements(for: change) {
                    try await client.write(statement)
                }
            }
        }
        return plan
    }

    func rowsWithData(table: String, column: String) async throws -> Int {
        let rows = try await client.query(SQLQueryString("SELECT COUNT(*) AS \(ident: "count") FROM \(ident: table) WHERE \(ident: column) IS NOT NULL"))
        return Int(rows.first?["count"].int64 ?? 0)
    }

    /// DDL for one change. Identifiers come from the storage metadata and are quoted.
    func statements(for change: SchemaChange) -> [any SQLExpression] {
        let dialect = client.dialect
        switch change {
        case .createTable(let table):
            var parts: [any SQLExpression] = table.columns.map { columnDefinition($0) }
            for key in table.foreignKeys {
                parts.append(SQLQueryString(
                    "CONSTRAINT \(ident: key.name) FOREIGN KEY (\(idents: key.columns, joinedBy: ", ")) REFERENCES \(ident: key.referencedTable) (\(idents: key.referencedColumns, joinedBy: ", ")) ON DELETE \(unsafeRaw: key.onDelete.rawValue)"))
            }
            var statements: [any SQLExpression] = [
                SQLQueryString("CREATE TABLE \(ident: table.name) (\(SQLList(parts)))")
            ]
            statements.append(contentsOf: table.indexes.map { createIndex($0, table: table.name) })
            return statements
        case .addColumn(let table, let column):
            return [SQLQueryString("ALTER TABLE \(ident: table) ADD COLUMN \(columnDefinition(column))")]
        case .createIndex(let table, let index):
            return [createIndex(index, table: table)]
        case .dropIndex(_, let name):
            return [SQLQueryString("DROP INDEX IF EXISTS \(ident: name)")]
        case .dropColumn(let table, let column, _):
            return [SQLQueryString("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)")]
        case .retypeColumn(let table, let column, _, _):
            // Portable across SQLite and Postgres: add a converted copy, then swap it in.
            let temporary = column.name + "__strata_retype"
            var copy = column
            copy.name = temporary
            return [
                SQLQueryString("ALTER TABLE \(ident: table) ADD COLUMN \(columnDefinition(copy))"),
                SQLQueryString("UPDATE \(ident: table) SET \(ident: temporary) = CAST(\(ident: column.name) AS \(dialect.sqlType(for: column.type)))"),
                SQLQueryString("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column.name)"),
                SQLQueryString("ALTER TABLE \(ident: table) RENAME COLUMN \(ident: temporary) TO \(ident: column.name)"),
            ]
        }
    }

    func columnDefinition(_ column: ColumnDefinition) -> any SQLExpression {
        if column.isPrimaryKey { return client.dialect.primaryKeyColumn(column.name) }
        let type = client.dialect.sqlType(for: column.type)
        if column.isNotNull {
            return SQLQueryString("\(ident: column.name) \(type) NOT NULL")
        }
        return SQLQueryString("\(ident: column.name) \(type)")
    }

    func createIndex(_ index: IndexDefinition, table: String) -> any SQLExpression {
        SQLQueryString("CREATE \(unsafeRaw: index.isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(ident: index.name) ON \(ident: table) (\(idents: index.columns, joinedBy: ", "))")
    }
}
