public import SQLKit

/// A quoted identifier for names Strata resolved against the schema (tables, columns, aliases).
///
/// SQLKit's `SQLIdentifier` looks the dialect's quote up through two existentials and escapes with
/// a string search on every use; with a dozen columns per select that was an eighth of a findOne's
/// CPU. `DatabaseClient` serializes with the dialect's quote read once, so names without a quote
/// character are written directly; any other name (or another serializer) takes SQLKit's path.
public struct SQLName: SQLExpression {
    public let string: String

    public init(_ string: String) {
        self.string = string
    }

    public func serialize(to serializer: inout SQLSerializer) {
        guard let database = serializer.database as? SerializationDatabase, let quote = database.identifierQuote,
              !containsQuote(database)
        else {
            SQLIdentifier(string).serialize(to: &serializer)
            return
        }
        serializer.write(quote)
        serializer.write(string)
        serializer.write(quote)
    }

    private func containsQuote(_ database: SerializationDatabase) -> Bool {
        if let byte = database.identifierQuoteByte { return string.utf8.contains(byte) }
        let quote = database.identifierQuote ?? ""
        return string.utf8.contains { quote.utf8.contains($0) }
    }
}

extension SQLColumn {
    /// `"table"."name"` with ``SQLName`` quoting.
    public static func named(_ name: String, table: String) -> SQLColumn {
        SQLColumn(SQLName(name), table: SQLName(table))
    }
}
