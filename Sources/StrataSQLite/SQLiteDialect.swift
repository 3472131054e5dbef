public import SQLKit
import Foundation
public import StrataSQL

/// SQLite's SQL: `?N` placeholders, `"` identifiers, Strapi's knex column types for SQLite.
public struct SQLiteDialect: DatabaseDialect {
    public init() {}

    public var name: String { "sqlite" }
    public var identifierQuote: any SQLExpression { SQLRaw("\"") }
    public var literalStringQuote: any SQLExpression { SQLRaw("'") }
    public var supportsAutoIncrement: Bool { true }
    public var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    public var enumSyntax: SQLEnumSyntax { .unsupported }
    public var supportsReturning: Bool { true }
    public var upsertSyntax: SQLUpsertSyntax { .standard }
    public var alterTableSyntax: SQLAlterTableSyntax { .init(allowsBatch: false) }
    public var triggerSyntax: SQLTriggerSyntax { .init() }
    public var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except] }
    /// `SQLITE_MAX_VARIABLE_NUMBER` of the bundled SQLite.
    public var maxBindParameters: Int { 32_766 }

    public func bindPlaceholder(at position: Int) -> any SQLExpression {
        SQLRaw("?\(position)")
    }

    public func literalBoolean(_ value: Bool) -> any SQLExpression {
        SQLRaw(value ? "1" : "0")
    }

    // See DatabaseDialect.sqlType(for:).
    public func sqlType(for type: ColumnType) -> any SQLExpression {
        SQLRaw(Self.typeName(type))
    }

    /// Type spellings of knex's SQLite client, which Strapi uses.
    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case .increments: return "integer"
        case .string: return "varchar(255)"
        case .text: return "text"
        case .json: return "json"
        case .integer: return "integer"
        case .bigInteger: return "bigint"
        case .double: return "float"
        case .decimal(let precision, let scale): return "decimal(\(precision),\(scale))"
        case .float: return "float"
        case .boolean: return "boolean"
        case .date: return "date"
        case .time: return "time"
        case .datetime: return "datetime"
        case .timestamp: return "datetime"
        }
    }

    /// `PRAGMA optimize` with `0x10002` analyzes, within SQLite's default analysis limit, the tables
    /// never analyzed or whose size changed a lot since: milliseconds, so it runs at every start.
    /// The file is the project's own, so the pragma needs no table list.
    public func refreshStatisticsStatements(afterBulkWrite: Bool, tables: [String]) -> [String] {
        ["PRAGMA optimize=0x10002"]
    }

    /// `AUTOINCREMENT` tables record their high-water mark in `sqlite_sequence` (which also
    /// follows explicit ids, so nothing needs advancing afterwards).
    public func lastIssuedIDQuery(table: String) -> any SQLExpression {
        SQLQueryString("SELECT \(ident: "seq") FROM \(ident: "sqlite_sequence") WHERE \(ident: "name") = \(bind: DatabaseValue.text(table))")
    }

    // Strapi (knex) declares `integer not null primary key autoincrement`, so ids are never reused.
    public func primaryKeyColumn(_ name: String) -> any SQLExpression {
        SQLQueryString("\(ident: name) integer NOT NULL PRIMARY KEY AUTOINCREMENT")
    }

    public func isCompatible(existingType: String, with type: ColumnType) -> Bool {
        Self.affinity(existingType) == Self.affinity(Self.typeName(type))
    }

    /// SQLite's column affinity rules (section 3.1 of its datatype documentation).
    static func affinity(_ declared: String) -> String {
        let type = declared.uppercased()
        if type.contains("INT") { return "INTEGER" }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return "TEXT" }
        if type.contains("BLOB") || type.isEmpty { return "BLOB" }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return "REAL" }
        return "NUMERIC"
    }

    // SQLite's LIKE already ignores ASCII case, and its LOWER() folds ASCII only: `x LIKE ?` matches
    // exactly what `LOWER(CAST(x AS VARCHAR)) LIKE LOWER(?)` matches, without two function calls
    // per row (about 40% of a `$containsi` scan).
    public func caseInsensitiveLike(_ expression: any SQLExpression, pattern: any SQLExpression) -> any SQLExpression {
        SQLQueryString("\(expression) LIKE \(pattern) ESCAPE '\\'")
    }

    // SQLite's LIKE ignores ASCII case, so case-sensitive matching uses instr/substr.
    public func caseSensitiveMatch(_ column: any SQLExpression, _ kind: TextMatch, _ value: any SQLExpression) -> any SQLExpression {
        let bind = value
        switch kind {
        case .contains:
            return SQLComparison(SQLFunction("instr", args: column, bind), .greaterThan, SQLLiteral.numeric("0"))
        case .startsWith:
            return SQLComparison(
                SQLFunction("substr", args: column, SQLLiteral.numeric("1"), SQLFunction("length", args: bind)), .equal, bind)
        case .endsWith:
            let start = SQLComparison(
                SQLComparison(SQLFunction("length", args: column), .subtract, SQLFunction("length", args: bind)),
                .add, SQLLiteral.numeric("1"))
            return SQLComparison(SQLFunction("substr", args: column, start), .equal, bind)
        }
    }
}
