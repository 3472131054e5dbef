import Foundation
public import SQLKit
public import StrataSQL

/// PostgreSQL's SQL: `$N` placeholders, `"` identifiers, the column types knex gives Strapi on
/// Postgres (`varchar(255)`, `jsonb`, `timestamp(6)`…), `LOWER(CAST(x AS VARCHAR))` for
/// case-insensitive operators as Strapi does.
public struct PostgresDialect: DatabaseDialect {
    public init() {}

    public var name: String { "postgresql" }
    public var identifierQuote: any SQLExpression { SQLRaw("\"") }
    public var literalStringQuote: any SQLExpression { SQLRaw("'") }
    public var supportsAutoIncrement: Bool { false }
    public var autoIncrementClause: any SQLExpression { SQLRaw("") }
    public var enumSyntax: SQLEnumSyntax { .unsupported }
    public var supportsReturning: Bool { true }
    public var upsertSyntax: SQLUpsertSyntax { .standard }
    public var alterTableSyntax: SQLAlterTableSyntax {
        .init(alterColumnDefinitionClause: SQLRaw("ALTER COLUMN"), alterColumnDefinitionTypeKeyword: SQLRaw("TYPE"))
    }
    public var triggerSyntax: SQLTriggerSyntax { .init() }
    public var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .intersectAll, .except, .exceptAll, .explicitDistinct, .parenthesizedSubqueries] }
    /// The wire protocol counts parameters in an Int16.
    public var maxBindParameters: Int { 65_535 }

    public func bindPlaceholder(at position: Int) -> any SQLExpression {
        SQLRaw("$\(position)")
    }

    public func literalBoolean(_ value: Bool) -> any SQLExpression {
        SQLRaw(value ? "true" : "false")
    }

    public func sqlType(for type: ColumnType) -> any SQLExpression {
        SQLRaw(Self.typeName(type))
    }

    /// Types as Postgres' `format_type` spells them, so that introspected columns compare equal.
    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case .increments: return "integer"
        case .string: return "character varying(255)"
        case .text: return "text"
        case .json: return "jsonb"
        case .integer: return "integer"
        case .bigInteger: return "bigint"
        case .double: return "double precision"
        case .decimal(let precision, let scale): return "numeric(\(precision),\(scale))"
        case .float: return "real"
        case .boolean: return "boolean"
        case .date: return "date"
        case .time: return "time(3) without time zone"
        case .datetime, .timestamp: return "timestamp(6) without time zone"
        }
    }

    // knex's `increments()` on Postgres: `serial primary key`.
    public func primaryKeyColumn(_ name: String) -> any SQLExpression {
        SQLQueryString("\(ident: name) serial PRIMARY KEY")
    }

    /// Same type, or the same family with a different precision (a database created by Strapi
    /// may say `timestamp` or `varchar(255)` where Strata would say `timestamp(6)`).
    public func isCompatible(existingType: String, with type: ColumnType) -> Bool {
        let wanted = Self.typeName(type)
        if existingType == wanted { return true }
        return Self.family(existingType) == Self.family(wanted)
    }

    static func family(_ type: String) -> String {
        let base = type.split(separator: "(").first.map(String.init) ?? type
        switch base.trimmingCharacters(in: .whitespaces) {
        case "character varying", "varchar", "character", "char", "bpchar": return "varchar"
        case "timestamp", "timestamp without time zone": return "timestamp"
        case "time", "time without time zone": return "time"
        case "int", "int4", "integer", "serial": return "integer"
        case "int8", "bigint", "bigserial": return "bigint"
        case "float8", "double precision": return "double"
        case "float4", "real": return "real"
        case "numeric", "decimal": return type.replacingOccurrences(of: "decimal", with: "numeric")
        case "bool", "boolean": return "boolean"
        default: return type
        }
    }

    /// `name` as a quoted identifier, for statements built outside SQLKit.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // Postgres sorts NULL as the largest value; Strata's order is SQLite's on every database.
    public func sortTerm(_ expression: any SQLExpression, ascending: Bool) -> any SQLExpression {
        SQLQueryString("\(expression) \(unsafeRaw: ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")")
    }

    public func lowercased(_ expression: any SQLExpression) -> any SQLExpression {
        SQLFunction("LOWER", args: SQLQueryString("CAST(\(expression) AS VARCHAR)"))
    }

    /// The highest id the table's `serial` sequence handed out, or the highest stored id when
    /// rows were inserted with explicit ids and the sequence was not advanced.
    public func lastIssuedIDQuery(table: String) -> any SQLExpression {
        let quoted = Self.quoted(table)
        return SQLQueryString("""
            SELECT GREATEST(COALESCE(pg_sequence_last_value(CAST(pg_get_serial_sequence(\(bind: DatabaseValue.text(quoted)), 'id') AS regclass)), 0), \
            COALESCE((SELECT MAX(\(ident: "id")) FROM \(ident: table)), 0))
            """)
    }

    /// Rows inserted with explicit ids do not move a `serial` sequence; move it past them.
    /// A transaction-scoped advisory lock; keys are hashed into PostgreSQL's lock space.
    public func transactionLock(_ key: String) -> (any SQLExpression)? {
        SQLQueryString("SELECT pg_advisory_xact_lock(hashtext(\(bind: DatabaseValue.text(key))))")
    }

    public func advanceIDSequence(table: String, to id: Int64) -> (any SQLExpression)? {
        let quoted = Self.quoted(table)
        return SQLQueryString("""
            SELECT setval(CAST(pg_get_serial_sequence(\(bind: DatabaseValue.text(quoted)), 'id') AS regclass), \
            GREATEST(\(bind: DatabaseValue.int(id)), COALESCE((SELECT MAX(\(ident: "id")) FROM \(ident: table)), 1)))
            """)
    }

    /// Autovacuum keeps statistics fresh over time; after a bulk import `VACUUM (ANALYZE)` makes
    /// them right at once and sets the visibility map, without which a list's `COUNT(*)` cannot
    /// use an index-only scan and reads every heap row until autovacuum gets to it. Only the
    /// project's tables (resolved through `search_path`, i.e. its schema): a bare `VACUUM` would
    /// process every table of every schema in the database.
    public func refreshStatisticsStatements(afterBulkWrite: Bool, tables: [String]) -> [String] {
        guard afterBulkWrite, !tables.isEmpty else { return [] }
        return ["VACUUM (ANALYZE) " + tables.map(Self.quoted).joined(separator: ", ")]
    }

    /// `relallvisible` is what the last `VACUUM` managed to mark; an empty table has no pages.
    public var notAllVisibleTablesQuery: String? {
        """
        SELECT "c"."relname" FROM "pg_class" AS "c" \
        WHERE "c"."relnamespace" = CAST(current_schema() AS regnamespace) AND "c"."relkind" = 'r' \
        AND "c"."relpages" > 0 AND "c"."relallvisible" < "c"."relpages"
        """
    }

    // Postgres' LIKE is case-sensitive, but `strpos`/`left`/`right` avoid wildcard escaping.
    public func caseSensitiveMatch(_ column: any SQLExpression, _ kind: TextMatch, _ value: any SQLExpression) -> any SQLExpression {
        let text = SQLQueryString("CAST(\(column) AS TEXT)")
        let bind = SQLQueryString("CAST(\(value) AS TEXT)")
        switch kind {
        case .contains:
            return SQLComparison(SQLFunction("strpos", args: text, bind), .greaterThan, SQLLiteral.numeric("0"))
        case .startsWith:
            return SQLComparison(SQLFunction("left", args: text, SQLFunction("length", args: bind)), .equal, bind)
        case .endsWith:
            return SQLComparison(SQLFunction("right", args: text, SQLFunction("length", args: bind)), .equal, bind)
        }
    }
}
