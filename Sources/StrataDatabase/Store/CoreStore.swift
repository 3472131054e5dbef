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

    /// Every entry, for exports.
    public func all() async throws -> [(key: String, value: JSONValue, type: String?, environment: String?, tag: String?)] {
        let rows = try await client.query(SQLQueryString("SELECT \(ident: "key"), \(ident: "value"), \(ident: "type"), \(ident: "environment"), \(ident: "tag") FROM \(ident: Self.tableName) ORDER BY \(ident: "id")"))
        return rows.compactMap { row in
            guard let key = row[0].text else { return nil }
            let text = row[1].text ?? "null"
            return (key, (try? JSONParser.parse(text)) ?? .string(text), row[2].text, row[3].text, row[4].text)
        }
    }
}
