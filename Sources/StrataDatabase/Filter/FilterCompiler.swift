public import SQLKit
public import StrataCore
import StrataSchema
public import StrataSQL

/// Compiles a ``Filter`` to a SQL predicate over a model's table alias.
///
/// Conditions on relations, components and media become `EXISTS` subqueries, so a parent is
/// matched (and counted) once however many related rows match, and conditions inside one nested
/// filter apply to the same related row, as Strapi's joins do. Every value is bound.
///
/// The compiler works on a filter's shape (``Filter/parameterized(into:)``): each value it
/// binds is a ``BindSlot``, and ``conversions`` says how the request's values fill them. The SQL
/// of a shape can so be kept and reused (see ``StatementCache``) with only the values converted.
public struct FilterCompiler {
    public let metadata: StorageMetadata
    public let dialect: any DatabaseDialect
    private var aliasCounter = 0
    /// How to convert the value of each slot bound so far, slot `i` at index `i`.
    public private(set) var conversions: [FilterValueConversion] = []
    /// The root model's columns already quoted under ``EntityRepository/alias``, when the
    /// database supplies them; any other model or alias is quoted as it is compiled.
    var rendered: RenderedModel?

    public init(metadata: StorageMetadata, dialect: any DatabaseDialect) {
        self.metadata = metadata
        self.dialect = dialect
    }

    /// The predicate for `filter` with its values bound, for a statement run once.
    public mutating func compile(_ filter: Filter, model: Model, alias: String) throws -> any SQLExpression {
        var values: [JSONValue] = []
        let shape = filter.parameterized(into: &values)
        let first = conversions.count
        let predicate = try compile(shape: shape, model: model, alias: alias)
        let binds = try Array(conversions[first...]).apply(values)
        return SQLFilledSlots(predicate, values: Array(repeating: .null, count: first) + binds)
    }

    /// The predicate for a filter's shape, with a ``BindSlot`` for each value (see ``conversions``).
    public mutating func compile(shape filter: Filter, model: Model, alias: String) throws(ValidationError) -> any SQLExpression {
        switch filter {
        case .and(let parts):
            if parts.isEmpty { return SQLRaw("1 = 1") }
            return try group(parts.map { part throws(ValidationError) in try compile(shape: part, model: model, alias: alias) }, "AND")
        case .or(let parts):
            if parts.isEmpty { return SQLRaw("1 = 0") }
            return try group(parts.map { part throws(ValidationError) in try compile(shape: part, model: model, alias: alias) }, "OR")
        case .not(let inner):
            return SQLQueryString("NOT \(SQLGroupExpression(try compile(shape: inner, model: model, alias: alias)))")
        case .field(let name, let condition):
            guard let field = model.field(name) else {
                throw ValidationError.invalidKey(name, source: "query", param: "filters")
            }
            return try compileField(field, condition, model: model, alias: alias)
        }
    }

    func group(_ parts: [any SQLExpression], _ separator: String) -> any SQLExpression {
        if parts.count == 1 { return parts[0] }
        // SQLite parses `a OR b OR …` into a tree as deep as the list is long and refuses one
        // deeper than 1000; long lists are nested in balanced groups, which keep the tree shallow.
        if parts.count > Self.groupWidth {
            let groups = stride(from: 0, to: parts.count, by: Self.groupWidth).map { start in
                group(Array(parts[start..<min(start + Self.groupWidth, parts.count)]), separator)
            }
            return group(groups, separator)
        }
        return SQLGroupExpression(SQLList(parts, separator: SQLRaw(" \(separator) ")))
    }

    /// The most terms one `AND`/`OR` group joins directly.
    static let groupWidth = 64

    mutating func nextAlias(_ prefix: String) -> String {
        aliasCounter += 1
        return "\(prefix)\(aliasCounter)"
    }

    mutating func compileField(_ field: Field, _ condition: FieldFilter, model: Model, alias: String) throws(ValidationError) -> any SQLExpression {
        switch condition {
        case .and(let parts):
            return group(try parts.map { part throws(ValidationError) in try compileField(field, part, model: model, alias: alias) }, "AND")
        case .or(let parts):
            if parts.isEmpty { return SQLRaw("1 = 0") }
            return group(try parts.map { part throws(ValidationError) in try compileField(field, part, model: model, alias: alias) }, "OR")
        case .not(let inner):
            return SQLQueryString("NOT \(SQLGroupExpression(try compileField(field, inner, model: model, alias: alias)))")
        case .nested(let nested):
            return try compileNested(field, nested, model: model, alias: alias)
        case .operator(let op, let value):
            guard let column = field.column else {
                throw ValidationError("Invalid filter on \(field.name): an operator needs a scalar attribute")
            }
            let target = alias == EntityRepository.alias && rendered?.model === model ? rendered?.columns[column.name] : nil
            return try compileOperator(op, value, column: column, fieldName: field.name, alias: alias, target: target)
        }
    }

    // MARK: Scalar operators

    /// Binds the next value of the filter, converted as `conversion` says when it is filled.
    mutating func slot(_ conversion: FilterValueConversion) -> any SQLExpression {
        conversions.append(conversion)
        return SQLBind(BindSlot(conversions.count - 1))
    }

    /// The elements a list operator (`$in`, `$notIn`, `$between`) binds: an array's, an object's
    /// values (`qs` without array syntax), or the single value.
    static func elements(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let elements): return elements
        case .object(let object): return object.values
        default: return [value]
        }
    }

    /// `value` is the shape's (see ``Filter/parameterized(into:)``): `null`, a placeholder, a list
    /// of placeholders, or the truth of `$null`/`$notNull`.
    mutating func compileOperator(_ op: FilterOperator, _ value: JSONValue, column: Column, fieldName: String, alias: String, target rendered: SQLRaw? = nil) throws(ValidationError) -> any SQLExpression {
        let target: any SQLExpression = rendered ?? SQLColumn.named(column.name, table: alias)
        let cast = FilterValueConversion.cast(column.valueType == .id ? .integer : column.valueType, field: fieldName)
        func list() -> [any SQLExpression] {
            Self.elements(of: value).map { _ in slot(cast) }
        }
        switch op {
        case .eq:
            if value.isNull { return SQLComparison(target, .is, SQLLiteral.null) }
            return SQLComparison(target, .equal, slot(cast))
        case .ne:
            if value.isNull { return SQLComparison(target, .isNot, SQLLiteral.null) }
            return SQLComparison(target, .notEqual, slot(cast))
        case .eqi, .nei:
            if value.isNull { return SQLComparison(target, op == .eqi ? .is : .isNot, SQLLiteral.null) }
            let bound = slot(.text(op, field: fieldName))
            return SQLComparison(dialect.lowercased(target), op == .eqi ? .equal : .notEqual, dialect.lowercased(bound))
        case .lt: return SQLComparison(target, .lessThan, slot(cast))
        case .lte: return SQLComparison(target, .lessThanOrEqual, slot(cast))
        case .gt: return SQLComparison(target, .greaterThan, slot(cast))
        case .gte: return SQLComparison(target, .greaterThanOrEqual, slot(cast))
        case .in:
            let values = list()
            if values.isEmpty { return SQLRaw("1 = 0") }
            return SQLComparison(target, .in, SQLGroupExpression(values))
        case .notIn:
            let values = list()
            if values.isEmpty { return SQLRaw("1 = 1") }
            return SQLComparison(target, .notIn, SQLGroupExpression(values))
        case .between:
            guard Self.elements(of: value).count == 2 else {
                throw ValidationError("$between on \(fieldName) needs an array of two values")
            }
            let values = list()
            return SQLQueryString("\(target) BETWEEN \(values[0]) AND \(values[1])")
        case .null, .notNull:
            let isNull = Self.forcedBoolean(value) == (op == .null)
            return SQLComparison(target, isNull ? .is : .isNot, SQLLiteral.null)
        case .contains, .startsWith, .endsWith:
            return dialect.caseSensitiveMatch(target, Self.match(op), slot(.text(op, field: fieldName)))
        case .notContains:
            return SQLQueryString("NOT \(SQLGroupExpression(dialect.caseSensitiveMatch(target, .contains, slot(.text(op, field: fieldName)))))")
        case .containsi, .startsWithi, .endsWithi, .notContainsi:
            let like = dialect.caseInsensitiveLike(target, pattern: slot(.likePattern(op, field: fieldName)))
            return op == .notContainsi ? SQLQueryString("NOT \(SQLGroupExpression(like))") : like
        }
    }

    static func match(_ op: FilterOperator) -> TextMatch {
        switch op {
        case .startsWith: return .startsWith
        case .endsWith: return .endsWith
        default: return .contains
        }
    }

    /// `%`, `_` and `\` match themselves, unlike in Strapi where they leak into the pattern.
    static func escapeLike(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Strapi's forced boolean cast for `$null`/`$notNull`: recognised false values are false,
    /// anything else is JavaScript-truthy (so `?filters[x][$null]` with no value is false).
    static func forcedBoolean(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0 && !number.isNaN
        case .string(let text):
            switch text.lowercased() {
            case "false", "f", "0", "": return false
            default: return true
            }
        case .array, .object: return true
        }
    }

    // MARK: Relations, components, media

    mutating func compileNested(_ field: Field, _ nested: Filter, model: Model, alias: String) throws(ValidationError) -> any SQLExpression {
        // `$null`/`$notNull` directly on a relation test whether any related row exists.
        var existence: Bool?
        if case .field("id", .operator(let op, let value)) = nested, op == .null || op == .notNull {
            existence = Self.forcedBoolean(value) == (op == .notNull)
        }
        let link = nextAlias("j")
        let target = nextAlias("t")
        let subquery: SQLQueryString
        let targetModel: Model
        let parent = SQLColumn.named("id", table: alias)
        if case .joinColumn(let column, let uid) = field.storage {
            guard let resolved = metadata.model(uid) else { throw unsupported(field) }
            targetModel = resolved
            subquery = SQLQueryString("SELECT 1 FROM \(ident: resolved.tableName) AS \(ident: target) WHERE \(SQLColumn.named("id", table: target)) = \(SQLColumn.named(column, table: alias))")
        } else if let relation = RelationLink(field, of: model), let resolved = metadata.model(relation.target) {
            targetModel = resolved
            subquery = SQLQueryString("SELECT 1 FROM \(relation.correlated(targetTable: resolved.tableName, link: link, target: target, owner: parent))")
        } else {
            throw unsupported(field)
        }
        if let existence {
            return SQLQueryString("\(unsafeRaw: existence ? "" : "NOT ")EXISTS (\(subquery))")
        }
        let condition = try compile(shape: nested, model: targetModel, alias: target)
        return SQLQueryString("EXISTS (\(subquery) AND \(condition))")
    }

    func unsupported(_ field: Field) -> ValidationError {
        ValidationError.invalidKey(field.name, source: "query", param: "filters")
    }
}
