import Foundation
import StrataSQL

/// Reads SQLite's catalogue (`sqlite_master`, `PRAGMA table_info`, `PRAGMA index_list`).
struct SQLiteIntrospector {
    let connection: any DatabaseConnection

    func snapshot() async throws -> SchemaSnapshot {
        let tables = try await connection.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", [])
        var snapshot = SchemaSnapshot()
        for row in tables {
            guard let name = row["name"].text else { continue }
            snapshot.tables[name] = try await table(name)
        }
        return snapshot
    }

    private func table(_ name: String) async throws -> SchemaSnapshot.Table {
        // Table names come from sqlite_master itself; quote them for the PRAGMA.
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let columnRows = try await connection.query("PRAGMA table_info(\(quoted))", [])
        let columns = columnRows.map { row in
            SchemaSnapshot.Column(
                name: row["name"].text ?? "",
                type: (row["type"].text ?? "").lowercased(),
                isNullable: row["notnull"].int64 == 0,
                isPrimaryKey: (row["pk"].int64 ?? 0) > 0
            )
        }
        var indexes: [SchemaSnapshot.Index] = []
        for indexRow in try await connection.query("PRAGMA index_list(\(quoted))", []) {
            guard let indexName = indexRow["name"].text else { continue }
            let quotedIndex = "\"" + indexName.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let indexColumns = try await connection.query("PRAGMA index_info(\(quotedIndex))", [])
            indexes.append(SchemaSnapshot.Index(
                name: indexName,
                columns: indexColumns.compactMap { $0["name"].text },
                isUnique: indexRow["unique"].int64 == 1
            ))
        }
        return SchemaSnapshot.Table(name: name, columns: columns, indexes: indexes)
    }
}
