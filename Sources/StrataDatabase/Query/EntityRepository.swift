import SQLKit
public import StrataCore
import StrataSchema
public import StrataSQL

/// Reads and writes the rows of one model. Rows come back as JSON objects keyed by attribute
/// name, with values already in Strapi's output form (ISO dates, bigint strings, parsed JSON).
public struct EntityRepository: Sendable {
    public let database: Database
    public let model: Model

    var client: DatabaseClient { database.client }
    static let alias = "t0"

    // MARK: Reads

    public func findMany(_ query: EntityQuery) async throws -> [JSONObject] {
        let (sql, binds, selection) = try selectSQL(query)
        let rows = try await client.raw(sql, binds)
        var objects = rows.map { selection.decode($0) }
        if !query.populate.isEmpty {
            try await PopulateLoader(database: database, scope: query.publicationScope).load(query.populate, into: &objects, model: model)
        }
        return objects
    }

    /// The SQL of ``findMany(_:)`` (without populate) and how its columns decode: from the
    /// statement cache when a read of the same shape ran before.
    func selectSQL(_ query: EntityQuery) throws -> (sql: String, binds: [DatabaseValue], selection: ColumnSelection) {
        var values: [JSONValue] = []
        let shape = query.filter.parameterized(into: &values)
        let (limit, offset) = Self.limit(query)
        let key = StatementCache.Key(model: ObjectIdentifier(model), statement: .select(fields: query.fields, sort: query.sort, atMostOneRow: query.atMostOneRow, limit: limit), filter: shape)
        let entry = try cachedStatement(key, cacheable: query.search == nil) {
            var (select, selection, conversions) = try selectTemplate(query, shape: shape)
            select.limit = limit
            return StatementCache.Entry(template: try client.template(of: select), selection: selection, conversions: conversions)
        }
        var sql = entry.template.sql
        if offset != nil { EntitySelect.appendLimit(nil, offset: offset, to: &sql) }
        return (sql, entry.template.binds(filling: try entry.conversions.apply(values)), entry.selection ?? database.rendered(model).all)
    }

    /// The statement for `key` from the cache, or built now (and kept when `cacheable` and the
    /// model is one the database holds, so its identity stays its own).
    func cachedStatement(_ key: StatementCache.Key, cacheable: Bool, build: () throws -> StatementCache.Entry) throws -> StatementCache.Entry {
        let cacheable = cacheable && database.renderedModels[key.model]?.model === model
        if cacheable, let entry = database.statements[key] { return entry }
        let entry = try build()
        if cacheable { database.statements.store(entry, for: key) }
        return entry
    }

    /// SQLite needs a LIMIT before an OFFSET; the largest one means "no limit" on every database.
    static func limit(_ query: EntityQuery) -> (limit: Int?, offset: Int?) {
        (query.limit ?? (query.offset != nil ? Int(Int64.max) : nil), query.offset)
    }

    /// The `SELECT` of ``findMany(_:)`` (without populate) for a filter's shape, without `LIMIT`
    /// and `OFFSET`: a ``BindSlot`` for each of the filter's values, converted as the conversions say.
    func selectTemplate(_ query: EntityQuery, shape: Filter) throws -> (EntitySelect, ColumnSelection, [FilterValueConversion]) {
        let rendered = database.rendered(model)
        let selection = try columnSelection(query.fields, rendered: rendered)
        var select = EntitySelect(columns: selection.sql, from: rendered.from)
        let (predicate, conversions) = try predicate(shape: shape, search: query.search)
        select.predicate = predicate
        select.orderBy = try orderBy(query.sort, tiebreaker: !query.atMostOneRow)
        return (select, selection, conversions)
    }

    /// The `SELECT` of ``findMany(_:)`` (without populate) with its values bound, and how its
    /// columns decode.
    func selectStatement(_ query: EntityQuery) throws -> (EntitySelect, ColumnSelection) {
        var values: [JSONValue] = []
        let shape = query.filter.parameterized(into: &values)
        var (select, selection, conversions) = try selectTemplate(query, shape: shape)
        let binds = try conversions.apply(values)
        select.predicate = select.predicate.map { SQLFilledSlots($0, values: binds) }
        (select.limit, select.offset) = Self.limit(query)
        return (select, selection)
    }

    public func findOne(_ query: EntityQuery) async throws -> JSONObject? {
        var single = query
        single.limit = 1
        return try await findMany(single).first
    }

    public func count(_ filter: Filter, search: String? = nil) async throws -> Int {
        var values: [JSONValue] = []
        let shape = filter.parameterized(into: &values)
        let key = StatementCache.Key(model: ObjectIdentifier(model), statement: .count, filter: shape)
        let entry = try cachedStatement(key, cacheable: search == nil) {
            var select = SQLSelect()
            // COUNT(*) lets the database count the narrowest index (ids are never NULL).
            select.columns = [SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLName("count"))]
            select.tables = [SQLAlias(SQLName(model.tableName), as: SQLName(Self.alias))]
            let (predicate, conversions) = try predicate(shape: shape, search: search)
            select.predicate = predicate
            return StatementCache.Entry(template: try client.template(of: select), selection: nil, conversions: conversions)
        }
        let rows = try await client.raw(entry.template.sql, entry.template.binds(filling: try entry.conversions.apply(values)))
        return Int(rows.first?["count"].int64 ?? 0)
    }

    /// Ids of the rows matching `filter`, in id order.
    public func ids(_ filter: Filter) async throws -> [Int64] {
        var select = SQLSelect()
        select.columns = [SQLColumn.named("id", table: Self.alias)]
        select.tables = [SQLAlias(SQLName(model.tableName), as: SQLName(Self.alias))]
        select.predicate = try predicate(filter)
        select.orderBy = [SQLOrderBy(expression: SQLColumn.named("id", table: Self.alias), direction: SQLDirection.ascending)]
        return try await client.query(select).compactMap { $0[0].int64 }
    }

    /// The predicate for `filter` (and `_q`) with its values bound, for a statement run once.
    func predicate(_ filter: Filter, search: String? = nil) throws -> (any SQLExpression)? {
        var values: [JSONValue] = []
        let shape = filter.parameterized(into: &values)
        let (predicate, conversions) = try predicate(shape: shape, search: search)
        let binds = try conversions.apply(values)
        return predicate.map { SQLFilledSlots($0, values: binds) }
    }

    /// The predicate for a filter's shape (and `_q`, bound as a value), with a ``BindSlot`` for
    /// each of the filter's values and how to convert them.
    func predicate(shape: Filter, search: String?) throws -> (predicate: (any SQLExpression)?, conversions: [FilterValueConversion]) {
        var parts: [any SQLExpression] = []
        var conversions: [FilterValueConversion] = []
        if case .and(let items) = shape, items.isEmpty {
        } else {
            var compiler = FilterCompiler(metadata: database.metadata, dialect: client.dialect)
            compiler.rendered = database.rendered(model)
            parts.append(try compiler.compile(shape: shape, model: model, alias: Self.alias))
            conversions = compiler.conversions
        }
        if let search, !search.isEmpty {
            parts.append(searchPredicate(search))
        }
        switch parts.count {
        case 0: return (nil, conversions)
        case 1: return (parts[0], conversions)
        default: return (SQLList(parts, separator: SQLRaw(" AND ")), conversions)
        }
    }

    /// `_q`: substring match on searchable text columns, equality on numbers when `text` is one.
    func searchPredicate(_ text: String) -> any SQLExpression {
        let pattern = "%" + FilterCompiler.escapeLike(text) + "%"
        let number = Double(text.trimmingWhitespace())
        var alternatives: [any SQLExpression] = []
        for field in model.columnFields {
            guard let column = field.column else { continue }
            let target = SQLColumn.named(column.name, table: Self.alias)
            // Numbers are compared with ids and integer attributes only when whole and within a
            // 32-bit integer (PostgreSQL's `integer` refuses others rather than not matching).
            if field.name == "id" {
                if let number, let id = Self.searchableInteger(number) { alternatives.append(SQLComparison(target, .equal, SQLBind(DatabaseValue.int(id)))) }
                continue
            }
            // Private attributes (flag, type option, global list) are not searched: `_q` would be an oracle.
            guard let attribute = field.attribute, attribute.searchable, database.metadata.isVisible(field, in: model) else { continue }
            if attribute.kind.isStringLike {
                alternatives.append(client.dialect.caseInsensitiveLike(target, pattern: SQLBind(DatabaseValue.text(pattern))))
            } else if attribute.kind.isNumber, let number {
                switch attribute.kind {
                case .integer, .biginteger:
                    if let whole = Self.searchableInteger(number) { alternatives.append(SQLComparison(target, .equal, SQLBind(DatabaseValue.int(whole)))) }
                default:
                    if number.isFinite { alternatives.append(SQLComparison(target, .equal, SQLBind(DatabaseValue.double(number)))) }
                }
            }
        }
        if alternatives.isEmpty { return SQLRaw("1 = 0") }
        return SQLGroupExpression(SQLList(alternatives, separator: SQLRaw(" OR ")))
    }

    /// A `_q` number as an integer column's value, when it can be one on every database.
    static func searchableInteger(_ number: Double) -> Int64? {
        guard let whole = Int64(exactly: number), (Int64(Int32.min)...Int64(Int32.max)).contains(whole) else { return nil }
        return whole
    }

    /// `ORDER BY` terms; the row id always ends the list so pages are stable on every database.
    func orderBy(_ sort: [SortField], tiebreaker: Bool = true) throws -> [any SQLExpression] {
        var terms: [any SQLExpression] = []
        var aliases = 0
        for term in sort {
            let expression = try sortExpression(term.path[...], model: model, alias: Self.alias, aliases: &aliases)
            terms.append(client.dialect.sortTerm(expression, ascending: term.direction == .asc))
        }
        if tiebreaker, !sort.contains(where: { $0.path == ["id"] }) {
            terms.append(SQLOrderBy(expression: SQLColumn.named("id", table: Self.alias), direction: SQLDirection.ascending))
        }
        return terms
    }

    /// A scalar to sort on: a column, or for relation/component paths the first related row's
    /// value (in link order) as a correlated subquery, which never duplicates parent rows.
    func sortExpression(_ path: ArraySlice<String>, model: Model, alias: String, aliases: inout Int) throws -> any SQLExpression {
        guard let name = path.first, let field = model.field(name) else {
            throw ValidationError.invalidKey(path.joined(separator: "."), source: "query", param: "sort")
        }
        if let column = field.column, path.count == 1 {
            return SQLColumn.named(column.name, table: alias)
        }
        aliases += 1
        let link = "s\(aliases)j"
        let target = "s\(aliases)t"
        let rest = path.dropFirst()
        guard !rest.isEmpty else { throw ValidationError.invalidKey(name, source: "query", param: "sort") }
        if case .joinColumn(let column, let uid) = field.storage, let targetModel = database.metadata.model(uid) {
            let inner = try sortExpression(rest, model: targetModel, alias: target, aliases: &aliases)
            return SQLQueryString("(SELECT \(inner) FROM \(ident: targetModel.tableName) AS \(ident: target) WHERE \(SQLColumn.named("id", table: target)) = \(SQLColumn.named(column, table: alias)))")
        }
        if let relation = RelationLink(field, of: model), let targetModel = database.metadata.model(relation.target) {
            let inner = try sortExpression(rest, model: targetModel, alias: target, aliases: &aliases)
            let joined = relation.correlated(targetTable: targetModel.tableName, link: link, target: target, owner: SQLColumn.named("id", table: alias))
            return SQLQueryString("(SELECT \(inner) FROM \(joined) ORDER BY \(SQLList(relation.order(link: link))) LIMIT 1)")
        }
        throw ValidationError.invalidKey(path.joined(separator: "."), source: "query", param: "sort")
    }

    /// The columns to select: all of them, or the requested ones plus the identifiers.
    func columnSelection(_ names: [String]?, rendered: RenderedModel? = nil) throws -> ColumnSelection {
        let rendered = rendered ?? database.rendered(model)
        guard names != nil else { return rendered.all }
        return ColumnSelection(fields: try selectedFields(names), quoted: rendered.columns)
    }

    /// The column fields to select: all of them, or the requested ones plus the identifiers.
    func selectedFields(_ names: [String]?) throws -> [Field] {
        let columns = model.columnFields
        guard let names else { return columns }
        var wanted = Set(names)
        wanted.insert("id")
        if model.isContentType { wanted.insert("documentId") }
        for name in names where model.field(name)?.column == nil {
            throw ValidationError.invalidKey(name, source: "query", param: "fields")
        }
        return columns.filter { wanted.contains($0.name) }
    }

    // MARK: Writes

    /// Inserts a row and returns its id. `values` are keyed by field name and already in
    /// database form.
    @discardableResult
    public func insert(_ values: [(String, DatabaseValue)]) async throws -> Int64 {
        if values.isEmpty {
            // A component with every attribute empty still gets a row.
            let rows = try await client.write(SQLQueryString("INSERT INTO \(ident: model.tableName) DEFAULT VALUES RETURNING \(ident: "id")"))
            guard let id = rows.first?[0].int64 else { throw DatabaseError(.other, "insert into \(model.tableName) returned no id") }
            return id
        }
        var insert = SQLInsert(table: SQLName(model.tableName))
        let columns = try values.map { try columnName(for: $0.0) }
        insert.columns = columns.map { SQLName($0) }
        insert.values = [values.map { SQLBind($0.1) }]
        insert.returning = SQLReturning([SQLName("id")])
        let rows = try await client.write(insert)
        guard let id = rows.first?[0].int64 else {
            throw DatabaseError(.other, "insert into \(model.tableName) returned no id")
        }
        return id
    }

    /// Updates the rows matching `filter`; returns how many changed.
    @discardableResult
    public func update(_ filter: Filter, set values: [(String, DatabaseValue)]) async throws -> Int {
        guard !values.isEmpty else { return 0 }
        var update = SQLUpdate(table: SQLAlias(SQLName(model.tableName), as: SQLName(Self.alias)))
        update.values = try values.map { SQLColumnAssignment(setting: SQLName(try columnName(for: $0.0)), to: SQLBind($0.1)) }
        update.predicate = try predicate(filter)
        update.returning = SQLReturning([SQLName("id")])
        return try await client.write(update).count
    }

    /// Deletes the rows matching `filter`; returns how many were deleted.
    @discardableResult
    public func delete(_ filter: Filter) async throws -> Int {
        var delete = SQLDelete(table: SQLAlias(SQLName(model.tableName), as: SQLName(Self.alias)))
        delete.predicate = try predicate(filter)
        delete.returning = SQLReturning([SQLName("id")])
        return try await client.write(delete).count
    }

    func columnName(for field: String) throws -> String {
        guard let column = model.field(field)?.column else {
            throw DatabaseError(.other, "\(model.uid) has no column for \(field)")
        }
        return column.name
    }

    /// Converts a JSON value for a column field, failing with the attribute's path.
    public func encode(_ value: JSONValue, field name: String) throws -> DatabaseValue {
        guard let column = model.field(name)?.column else {
            throw DatabaseError(.other, "\(model.uid) has no column for \(name)")
        }
        do {
            return try ValueCodec.encode(value, as: column.valueType)
        } catch {
            throw ValidationError(fieldErrors: [.init(path: [name], message: "\(name) must be a `\(error.expected)` type, but the final value was: `\(JSONWriter.string(value))`.")])
        }
    }
}
