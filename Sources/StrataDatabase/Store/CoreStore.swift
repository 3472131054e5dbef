import SQLKit
public import StrataCore
public import StrataSQL

/// Strapi's core store (`strapi_core_store_settings`): JSON settings under keys such as
/// `plugin_i18n_default_locale` or `plugin_users-permissions_advanced`. Values are stored
/// JSON-encoded with their JavaScript `typeof`, as Strapi does, so exports carry them unchanged.
public struct CoreStore: Sendable {
    public let client: DatabaseClient

    public init(client: DatabaseClient) {
        self.client = client
    }

    static let tableName = "strapi_core_store_settings"

    static let table = TableDefinition(name: tableName, columns: [
        .id(),
        ColumnDefinition(name: "key", type: .string),
        ColumnDefinition(name: "value", type: .text),
        ColumnDefinition(name: "type", type: .string),
        ColumnDefinition(name: "environment", type: .string),
        ColumnDefinition(name: "tag", type: .string),
    ])

    /// The stored value for `key`, parsed.
    public func get(_ key: String) async throws -> JSONValue? {
        let rows = try await client.query(SQLQueryString("SELECT \(ident: "value") FROM \(ident: Self.tableName) WHERE \(ident: "key") = \(bind: DatabaseValue.text(key)) AND \(ident: "environment") IS NULL AND \(ident: "tag") IS NULL ORDER BY \(ident: "id") LIMIT 1"))
        guard let text = rows.first?[0].text else { return nil }
        return (try? JSONParser.parse(text)) ?? .string(text)
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func set(_ key: String, _ value: JSONValue) async throws {
        let text = DatabaseValue.text(JSONWriter.string(value))
        let type = DatabaseValue.text(value.typeName == "array" || value.typeName == "null" ? "object" : value.typeName)
        try await client.transaction {
            let updated = try await client.write(SQLQueryString("UPDATE \(ident: Self.tableName) SET \(ident: "value") = \(bind: text), \(ident: "type") = \(bind: type) WHERE \(ident: "key") = \(bind: DatabaseValue.text(key)) AND \(ident: "environment") IS NULL AND \(ident: "tag") IS NULL RETURNING \(ident: "id")"))
            if updated.isEmpty {
                try await client.write(SQLQueryString("INSERT INTO \(ident: Self.tableName) (\(ident: "key"), \(ident: "value"), \(ident: "type")) VALUES (\(bind: DatabaseValue.text(key)), \(bind: text), \(bind: type))"))
            }
        }
    }

    /// Every row in id order, with `value` parsed: the `core-store` records of an export.
    public func rows() async throws -> [JSONObject] {
        let rows = try await client.query(SQLQueryString("SELECT \(ident: "id"), \(ident: "key"), \(ident: "value"), \(ident: "type"), \(ident: "environment"), \(ident: "tag") FROM \(ident: Self.tableName) ORDER BY \(ident: "id")"))
        return rows.map { row in
            func text(_ index: Int) -> JSONValue { row[index].text.map(JSONValue.string) ?? .null }
            let value: JSONValue = row[2].text.map { (try? JSONParser.parse($0)) ?? .string($0) } ?? .null
            return ["id": .int(row[0].int64 ?? 0), "key": text(1), "value": value, "type": text(3), "environment": text(4), "tag": text(5)]
        }
    }

    /// Replaces every row with `records` (an import's `core-store` configuration): values are
    /// stored JSON-encoded, source ids are not kept.
    public func replaceAll(with records: [JSONObject]) async throws {
        try await client.transaction {
            try await client.write(SQLQueryString("DELETE FROM \(ident: Self.tableName)"))
            for record in records {
                guard let key = record["key"]?.stringValue else { continue }
                func text(_ name: String) -> DatabaseValue { record[name]?.stringValue.map(DatabaseValue.text) ?? .null }
                let value = DatabaseValue.text(JSONWriter.string(record["value"] ?? .null))
                try await client.write(SQLQueryString("INSERT INTO \(ident: Self.tableName) (\(ident: "key"), \(ident: "value"), \(ident: "type"), \(ident: "environment"), \(ident: "tag")) VALUES (\(bind: DatabaseValue.text(key)), \(bind: value), \(bind: text("type")), \(bind: text("environment")), \(bind: text("tag")))"))
            }
        }
    }
}
