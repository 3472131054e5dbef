import SQLKit
public import StrataCore
public import StrataSQL

/// A stored webhook: Strapi's `strapi_webhooks` row (`enabled` is `isEnabled` in its API).
public struct Webhook: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var events: [String]
    public var isEnabled: Bool

    public init(id: Int64 = 0, name: String, url: String, headers: [(name: String, value: String)] = [], events: [String], isEnabled: Bool = true) {
        self.id = id
        self.name = name
        self.url = url
        self.headers = headers
        self.events = events
        self.isEnabled = isEnabled
    }

    public static func == (lhs: Webhook, rhs: Webhook) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.url == rhs.url && lhs.events == rhs.events && lhs.isEnabled == rhs.isEnabled
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Strapi's API shape: `{id: "<string>", name, url, headers: {}, events: [], isEnabled}`.
    public var json: JSONValue {
        ["id": .string(String(id)), "name": .string(name), "url": .string(url), "headers": headersJSON,
         "events": .array(events.map(JSONValue.string)), "isEnabled": .bool(isEnabled)]
    }

    /// The row as an archive's `webhook` configuration record carries it.
    public var record: JSONValue {
        ["id": .int(id), "name": .string(name), "url": .string(url), "headers": headersJSON,
         "events": .array(events.map(JSONValue.string)), "enabled": .bool(isEnabled)]
    }

    var headersJSON: JSONValue {
        var object = JSONObject()
        for header in headers { object[header.name] = .string(header.value) }
        return .object(object)
    }

    /// A webhook from an archive record or an API body (`enabled` or `isEnabled`); unknown
    /// shapes are `nil`.
    public init?(record: JSONObject) {
        guard let name = record["name"]?.stringValue, let url = record["url"]?.stringValue else { return nil }
        self.init(
            id: record["id"]?.intValue ?? record["id"]?.stringValue.flatMap { Int64($0) } ?? 0,
            name: name, url: url,
            headers: Self.headers(record["headers"] ?? .null),
            events: record["events"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            isEnabled: (record["enabled"] ?? record["isEnabled"])?.boolValue ?? true)
    }

    static func headers(_ value: JSONValue) -> [(name: String, value: String)] {
        guard let object = value.objectValue else { return [] }
        return object.compactMap { key, value in value.stringValue.map { (key, $0) } }
    }
}

/// Strapi's webhook store (`strapi_webhooks`). Every instance reads it on each event, so a webhook
/// changed through one instance is used by all of them at once.
public struct WebhookStore: Sendable {
    public let client: DatabaseClient

    public init(client: DatabaseClient) {
        self.client = client
    }

    static let tableName = "strapi_webhooks"

    static let table = TableDefinition(name: tableName, columns: [
        .id(),
        ColumnDefinition(name: "name", type: .string),
        ColumnDefinition(name: "url", type: .text),
        ColumnDefinition(name: "headers", type: .json),
        ColumnDefinition(name: "events", type: .json),
        ColumnDefinition(name: "enabled", type: .boolean),
    ])

    private static let columns = SQLQueryString("\(ident: "id"), \(ident: "name"), \(ident: "url"), \(ident: "headers"), \(ident: "events"), \(ident: "enabled")")

    /// Every webhook in id order.
    public func findMany() async throws -> [Webhook] {
        try await client.query(SQLQueryString("SELECT \(Self.columns) FROM \(ident: Self.tableName) ORDER BY \(ident: "id")")).map(Self.webhook)
    }

    public func findOne(id: Int64) async throws -> Webhook? {
        try await client.query(SQLQueryString("SELECT \(Self.columns) FROM \(ident: Self.tableName) WHERE \(ident: "id") = \(bind: DatabaseValue.int(id))")).first.map(Self.webhook)
    }

    /// Stores a new webhook (its `id` is ignored) and returns it with its id.
    public func create(_ webhook: Webhook) async throws -> Webhook {
        let rows = try await client.write(SQLQueryString(
            "INSERT INTO \(ident: Self.tableName) (\(ident: "name"), \(ident: "url"), \(ident: "headers"), \(ident: "events"), \(ident: "enabled")) VALUES (\(bind: DatabaseValue.text(webhook.name)), \(bind: DatabaseValue.text(webhook.url)), \(bind: Self.json(webhook.headersJSON)), \(bind: Self.json(.array(webhook.events.map(JSONValue.string)))), \(bind: DatabaseValue.bool(webhook.isEnabled))) RETURNING \(Self.columns)"))
        guard let row = rows.first else { throw DatabaseError(.other, "the webhook insert returned no row") }
        return Self.webhook(row)
    }

    /// Replaces a webhook's fields; `nil` when there is none with that id.
    public func update(_ webhook: Webhook) async throws -> Webhook? {
        try await client.write(SQLQueryString(
            "UPDATE \(ident: Self.tableName) SET \(ident: "name") = \(bind: DatabaseValue.text(webhook.name)), \(ident: "url") = \(bind: DatabaseValue.text(webhook.url)), \(ident: "headers") = \(bind: Self.json(webhook.headersJSON)), \(ident: "events") = \(bind: Self.json(.array(webhook.events.map(JSONValue.string)))), \(ident: "enabled") = \(bind: DatabaseValue.bool(webhook.isEnabled)) WHERE \(ident: "id") = \(bind: DatabaseValue.int(webhook.id)) RETURNING \(Self.columns)"))
            .first.map(Self.webhook)
    }

    /// Deletes a webhook and returns it as it was; `nil` when there is none with that id.
    public func delete(id: Int64) async throws -> Webhook? {
        try await client.write(SQLQueryString("DELETE FROM \(ident: Self.tableName) WHERE \(ident: "id") = \(bind: DatabaseValue.int(id)) RETURNING \(Self.columns)"))
            .first.map(Self.webhook)
    }

    /// Replaces every webhook with `webhooks` (an import's `webhook` configuration): source ids
    /// are not kept, as in Strapi.
    public func replaceAll(with webhooks: [Webhook]) async throws {
        try await client.transaction {
            try await client.write(SQLQueryString("DELETE FROM \(ident: Self.tableName)"))
            for webhook in webhooks { _ = try await create(webhook) }
        }
    }

    /// JSON columns are written as text: SQLite stores it as is, Postgres parses it into jsonb.
    static func json(_ value: JSONValue) -> DatabaseValue {
        .text(JSONWriter.string(value))
    }

    static func webhook(_ row: DatabaseRow) -> Webhook {
        func json(_ value: DatabaseValue) -> JSONValue {
            switch value {
            case .json(let json): return json
            case .text(let text): return (try? JSONParser.parse(text)) ?? .null
            default: return .null
            }
        }
        let enabled: Bool
        switch row[5] {
        case .bool(let flag): enabled = flag
        case .null: enabled = false
        default: enabled = (row[5].int64 ?? 0) != 0
        }
        return Webhook(
            id: row[0].int64 ?? 0, name: row[1].text ?? "", url: row[2].text ?? "",
            headers: Webhook.headers(json(row[3])),
            events: json(row[4]).arrayValue?.compactMap(\.stringValue) ?? [],
            isEnabled: enabled)
    }
}
