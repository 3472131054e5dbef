import StrataSQL

/// Reads the tables, columns and indexes of the current schema from Postgres' catalogue, in
/// three queries whatever the number of tables.
struct PostgresIntrospector {
    let connection: any DatabaseConnection

    func snapshot() async throws -> SchemaSnapshot {
        let columnRows = try await connection.query("""
            SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type,
                   a.attnotnull AS not_null,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS is_primary
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum
            """, [])
        var tables: [String: SchemaSnapshot.Table] = [:]
        for row in columnRows {
            guard let table = row["table_name"].text, let name = row["column_name"].text else { continue }
            let column = SchemaSnapshot.Column(
                name: name, type: (row["column_type"].text ?? "").lowercased(),
                isNullable: row["not_null"] != .bool(true), isPrimaryKey: row["is_primary"] == .bool(true))
            tables[table, default: SchemaSnapshot.Table(name: table, columns: [], indexes: [])].columns.append(column)
        }
        // Primary keys are not listed: schema sync manages them with the table.
        let indexRows = try await connection.query("""
            SELECT t.relname AS table_name, ic.relname AS index_name, i.indisunique AS is_unique, a.attname AS column_name
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = current_schema() AND NOT i.indisprimary
            ORDER BY t.relname, ic.relname, k.position
            """, [])
        var indexes: [String: [SchemaSnapshot.Index]] = [:]
        for row in indexRows {
            guard let table = row["table_name"].text, let name = row["index_name"].text, let column = row["column_name"].text else { continue }
            if let last = indexes[table]?.indices.last, indexes[table]![last].name == name {
                indexes[table]![last].columns.append(column)
            } else {
                indexes[table, default: []].append(SchemaSnapshot.Index(name: name, columns: [column], isUnique: row["is_unique"] == .bool(true)))
            }
        }
        for (table, list) in indexes { tables[table]?.indexes = list }
        return SchemaSnapshot(tables: tables)
    }
}
