public import SQLKit

/// What differs between databases, behind one protocol: SQLKit's serialization capabilities plus
/// the CMS-specific ones (column types, case-insensitive comparison, bind limits).
///
/// Every dialect difference lives here, never in the query engine.
public protocol DatabaseDialect: SQLDialect {
    /// The most bind parameters one statement may carry.
    var maxBindParameters: Int { get }

    /// The SQL type for a Strapi column type.
    func sqlType(for type: ColumnType) -> any SQLExpression

    /// `expression` lowered for case-insensitive comparison (`LOWER(x)`; Postgres casts first).
    func lowercased(_ expression: any SQLExpression) -> any SQLExpression

    /// `expression LIKE pattern` ignoring case, with `\\` escaping `%` and `_` in `pattern`
    /// (`LOWER(x) LIKE LOWER(?)` as Strapi writes it, unless the database has a cheaper equivalent).
    /// `pattern` is the bound pattern (a value or a ``BindSlot``).
    func caseInsensitiveLike(_ expression: any SQLExpression, pattern: any SQLExpression) -> any SQLExpression

    /// A case-sensitive "contains / starts with / ends with" test. SQLite's `LIKE` ignores ASCII
    /// case, so dialects choose how to honour Strapi's documented case-sensitive operators.
    /// `value` is the bound text (a value or a ``BindSlot``); a dialect may use it more than once.
    func caseSensitiveMatch(_ column: any SQLExpression, _ kind: TextMatch, _ value: any SQLExpression) -> any SQLExpression

    /// The definition of an auto-incrementing integer primary key column named `name`.
    func primaryKeyColumn(_ name: String) -> any SQLExpression

    /// Whether a column whose declared type the database reports as `existingType` can keep
    /// holding values of `type` without a rebuild (SQLite only cares about type affinity).
    func isCompatible(existingType: String, with type: ColumnType) -> Bool

    /// A query whose single value is the last id the database handed out for `table` (no row
    /// when none was). Bulk writers that choose ids themselves start above it, so ids are never
    /// reused, exactly as with auto-increment.
    func lastIssuedIDQuery(table: String) -> any SQLExpression

    /// A statement to run after rows were inserted with explicit ids up to `id`, so that later
    /// auto-increment inserts continue above them (`nil` when the database does it by itself).
    func advanceIDSequence(table: String, to id: Int64) -> (any SQLExpression)?

    /// An `ORDER BY` term for a nullable value. Strata sorts NULL as the smallest value on every
    /// database (first ascending, last descending), as SQLite and MySQL do.
    func sortTerm(_ expression: any SQLExpression, ascending: Bool) -> any SQLExpression

    /// Statements that bring the query planner's statistics up to date, cheap enough to run at
    /// start-up (`afterBulkWrite: false`) or after an import. Without statistics a planner may
    /// pick a low-selectivity index (`<table>_cmps.field`) and scan half a table per request.
    /// `tables` are the project's own tables: a database may hold other schemas and other
    /// applications' tables, which are none of Strata's business (and may be huge).
    func refreshStatisticsStatements(afterBulkWrite: Bool, tables: [String]) -> [String]

    /// A statement that takes a lock named `key` until the current transaction ends, so that a
    /// check-then-write (Strapi's `unique` check) cannot interleave with a twin in another
    /// transaction; `nil` where write transactions are serialized anyway (SQLite's
    /// `BEGIN IMMEDIATE`).
    func transactionLock(_ key: String) -> (any SQLExpression)?

    /// A query whose `relname` column lists the schema's tables that have pages not marked
    /// all-visible (`nil` where there is no visibility map).
    var notAllVisibleTablesQuery: String? { get }
}

/// The shape of a text match.
public enum TextMatch: Sendable {
    case contains, startsWith, endsWith
}

extension DatabaseDialect {
    public var maxBindParameters: Int { 32_766 }

    public func lastIssuedIDQuery(table: String) -> any SQLExpression {
        SQLQueryString("SELECT MAX(\(ident: "id")) FROM \(ident: table)")
    }

    public func advanceIDSequence(table: String, to id: Int64) -> (any SQLExpression)? { nil }

    public func refreshStatisticsStatements(afterBulkWrite: Bool, tables: [String]) -> [String] {
        afterBulkWrite ? tables.map { "ANALYZE \"" + $0.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" } : []
    }

    public var notAllVisibleTablesQuery: String? { nil }

    public func transactionLock(_ key: String) -> (any SQLExpression)? { nil }

    public func lowercased(_ expression: any SQLExpression) -> any SQLExpression {
        SQLFunction("LOWER", args: expression)
    }

    public func caseInsensitiveLike(_ expression: any SQLExpression, pattern: any SQLExpression) -> any SQLExpression {
        SQLQueryString("\(lowercased(expression)) LIKE \(lowercased(pattern)) ESCAPE '\\'")
    }

    public func sortTerm(_ expression: any SQLExpression, ascending: Bool) -> any SQLExpression {
        SQLOrderBy(expression: expression, direction: ascending ? SQLDirection.ascending : SQLDirection.descending)
    }
}
