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
        let fields = try selectedFields(query.fields)
        var select = SQLSelect()
        select.columns = fields.map { SQLColumn($0.column!.name, table: Self.alias) }
        select.tables = [SQLAlias(SQLIdentifier(model.tableName), as: SQLIdentifier(Self.alias))]
        select.predicate = try predicate(query.filter)
        select.orderBy = try orderBy(query.sort)
        select.limit = query.limit ?? (query.offset != nil ? -1 : nil)
        select.offset = query.offset
        let rows = try await client.query(select)
        var objects = rows.map { decode($0, fields: fields) }
        if !query.populate.isEmpty {
            try await PopulateLoader(database: database, scope: query.publicationScope).load(query.populate, into: &objects, model: model)
        }
        return objects
    }

    public func findOne(_ query: EntityQuery) async throws -> JSONObject? {
        var single = query
        single.limit = 1
        return try await findMany(single).first
    }

    public func count(_ filter: Filter) async throws -> Int {
        var select = SQLSelect()
        select.columns = [SQLAlias(SQLFunction("COUNT", args: SQLColumn("id", table: Self.alias)), as: SQLIdentifier("count"))]
        select.tables = [SQLAlias(SQLIdentifier(model.tableName), as: SQLIdentifier(Self.alias))]
        select.predicate = try predicate(filter)
        let rows = try await client.query(select)
        return Int(rows.first?["count"].int64 ?? 0)
    }

    /// Ids of the rows matching `filter`, in id order.
    public func ids(_ filter: Filter) async throws -> [Int64] {
        var select = SQLSelect()
        select.columns = [SQLColumn("id", table: Self.alias)]
        select.tables = [SQLAlias(SQLIdentifier(model.tableName), as: SQLIdentifier(Self.alias))]
        select.predicate = try predicate(filter)
        select.orderBy = [SQLOrderBy(expression: SQLColumn("id", table: Self.alias), direction: SQLDirection.ascending)]
        return try await client.query(select).compactMap { $0[0].int64 }
    }

    func predicate(_ filter: Filter) throws -> (any SQLExpression)? {
        if case .and(let parts) = filter, parts.isEmpty { return nil }
        var compiler = FilterCompiler(metadata: database.metadata, dialect: client.dialect)
        return try compiler.compile(filter, model: model, alias: Self.alias)
    }

    func orderBy(_ sort: [SortField]) throws -> [any SQLExpression] {
        try sort.map { term in
            guard term.path.count == 1, let field = model.field(term.path[0]), let column = field.column else {
                throw ValidationError.invalidKey(term.path.joined(separator: "."), source: "query", param: "sort")
            }
            return SQLOrderBy(expression: SQLColumn(column.name, table: Self.alias), direction: term.direction == .asc ? SQLDirection.ascending : SQLDirection.descending)
        }
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

    func decode(_ row: DatabaseRow, fields: [Field]) -> JSONObject {
        var object = JSONObject(minimumCapacity: fields.count)
        for (index, field) in fields.enumerated() {
            object.appendUnique(field.name, ValueCodec.decode(row[index], as: field.column!.valueType))
        }
        return object
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
        var insert = SQLInsert(table: SQLIdentifier(model.tableName))
        let columns = try values.map { try columnName(for: $0.0) }
        insert.columns = columns.map { SQLIdentifier($0) }
        insert.values = [values.map { SQLBind($0.1) }]
        insert.returning = SQLReturning([SQLIdentifier("id")])
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
        var update = SQLUpdate(table: SQLAlias(SQLIdentifier(model.tableName), as: SQLIdentifier(Self.alias)))
        update.values = try values.map { SQLColumnAssignment(setting: SQLIdentifier(try columnName(for: $0.0)), to: SQLBind($0.1)) }
        update.predicate = try predicate(filter)
        update.returning = SQLReturning([SQLIdentifier("id")])
        return try await client.write(update).count
    }

    /// Deletes the rows matching `filter`; returns how many were deleted.
    @discardableResult
    public func delete(_ filter: Filter) async throws -> Int {
        var delete = SQLDelete(table: SQLAlias(SQLIdentifier(model.tableName), as: SQLIdentifier(Self.alias)))
        delete.predicate = try predicate(filter)
        delete.returning = SQLReturning([SQLIdentifier("id")])
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
