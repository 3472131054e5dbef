import SQLKit
import StrataCore
import StrataSchema
import StrataSQL

/// Loads populated attributes for a page of rows with one query per populated path (two for
/// dynamic zones: the links, then each component table present), never one query per row.
struct PopulateLoader {
    let database: Database
    let scope: PublicationScope?

    var metadata: StorageMetadata { database.metadata }
    var client: DatabaseClient { database.client }

    /// Adds the populated attributes of `populate` to `rows` (rows of `model`, which carry `id`).
    func load(_ populate: Populate, into rows: inout [JSONObject], model: Model) async throws {
        guard !populate.isEmpty, !rows.isEmpty else { return }
        let ids = rows.compactMap { $0["id"]?.intValue }
        for (name, options) in populate.entries {
            guard let field = model.field(name) else { continue }
            let values = try await values(for: field, options: options, ids: ids, rows: rows, model: model)
            for index in rows.indices {
                guard let id = rows[index]["id"]?.intValue else { continue }
                rows[index][name] = values[id] ?? emptyValue(for: field, options: options)
            }
        }
    }

    func emptyValue(for field: Field, options: PopulateOptions) -> JSONValue {
        if options.count { return .object(["count": 0]) }
        return isToMany(field) ? .array([]) : .null
    }

    func isToMany(_ field: Field) -> Bool {
        switch field.storage {
        case .joinTable(_, _, let kind, let isOwner):
            switch kind {
            case .oneToMany, .manyToMany: return true
            case .manyToOne: return !isOwner
            default: return false
            }
        case .components(_, _, let repeatable, _): return repeatable
        case .media(_, let multiple): return multiple
        case .localizations: return true
        case .morph(_, let kind): return kind != .morphToOne
        case .joinColumn, .column: return false
        }
    }

    /// Populated values keyed by parent id.
    func values(for field: Field, options: PopulateOptions, ids: [Int64], rows: [JSONObject], model: Model) async throws -> [Int64: JSONValue] {
        switch field.storage {
        case .joinTable, .media, .components(_, _, _, false):
            guard let link = RelationLink(field, of: model), let target = metadata.model(link.target) else { return [:] }
            return try await linked(link, target: target, options: options, ids: ids, toMany: isToMany(field))
        case .joinColumn(let column, let targetUID):
            guard let target = metadata.model(targetUID) else { return [:] }
            var select = SQLSelect()
            select.columns = [SQLColumn.named("id", table: "p"), SQLColumn.named(column, table: "p")]
            select.tables = [SQLAlias(SQLName(model.tableName), as: SQLName("p"))]
            select.predicate = SQLComparison(SQLColumn.named("id", table: "p"), .in, SQLGroupExpression(ids.map { SQLBind(DatabaseValue.int($0)) }))
            var targetOf: [Int64: Int64] = [:]
            for row in try await client.query(select) {
                if let owner = row[0].int64, let targetID = row[1].int64 { targetOf[owner] = targetID }
            }
            let targets = try await fetch(target, ids: Array(Set(targetOf.values)), options: options)
            var result: [Int64: JSONValue] = [:]
            for (owner, targetID) in targetOf { result[owner] = targets[targetID].map { .object($0) } ?? .null }
            return result
        case .components(let joinTable, let uids, _, true):
            return try await dynamicZoneValues(joinTable, field: field, uids: uids, options: options, ids: ids)
        case .localizations:
            return try await localizations(model: model, options: options, ids: ids, rows: rows)
        case .morph(let morph, let kind):
            return try await morphValues(morph, kind: kind, options: options, ids: ids)
        case .column:
            return [:]
        }
    }

    /// Rows of `target` linked to each owner, ordered by the link's order column unless sorted.
    func linked(_ link: RelationLink, target: Model, options: PopulateOptions, ids: [Int64], toMany: Bool) async throws -> [Int64: JSONValue] {
        let repository = EntityRepository(database: database, model: target)
        var filter = options.filters ?? .all
        if let scopeFilter = scope?.filter(for: target) { filter = filter.and(scopeFilter) }
        var result: [Int64: [JSONObject]] = [:]
        var counts: [Int64: Int] = [:]
        for chunk in ids.chunked(into: maxIDsPerQuery) {
            var select = SQLSelect()
            let ownerIn = SQLComparison(SQLColumn.named(link.ownerColumn, table: "j"), .in, SQLGroupExpression(chunk.map { SQLBind(DatabaseValue.int($0)) }))
            var predicates: [any SQLExpression] = [ownerIn]
            for (column, value) in link.conditions {
                predicates.append(SQLComparison(SQLColumn.named(column, table: "j"), .equal, SQLBind(value)))
            }
            if let compiled = try repository.predicate(filter) { predicates.append(compiled) }
            select.tables = [SQLAlias(SQLName(link.table), as: SQLName("j"))]
            select.joins = [SQLJoin(method: SQLJoinMethod.inner, table: SQLAlias(SQLName(target.tableName), as: SQLName(EntityRepository.alias)),
                                    expression: SQLComparison(SQLColumn.named("id", table: EntityRepository.alias), .equal, SQLColumn.named(link.targetColumn, table: "j")))]
            select.predicate = SQLList(predicates, separator: SQLRaw(" AND "))
            if options.count {
                select.columns = [SQLColumn.named(link.ownerColumn, table: "j"), SQLAlias(SQLFunction("COUNT", args: SQLColumn.named("id", table: EntityRepository.alias)), as: SQLName("count"))]
                select.groupBy = [SQLColumn.named(link.ownerColumn, table: "j")]
                for row in try await client.query(select) {
                    if let owner = row[0].int64 { counts[owner] = Int(row[1].int64 ?? 0) }
                }
                continue
            }
            let selection = try repository.columnSelection(options.fields)
            select.columns = [SQLColumn.named(link.ownerColumn, table: "j"), selection.sql]
            var order: [any SQLExpression] = [SQLOrderBy(expression: SQLColumn.named(link.ownerColumn, table: "j"), direction: SQLDirection.ascending)]
            order.append(contentsOf: try repository.orderBy(options.sort, tiebreaker: false))
            order.append(contentsOf: link.order(link: "j"))
            select.orderBy = order
            for row in try await client.query(select) {
                guard let owner = row[0].int64 else { continue }
                result[owner, default: []].append(selection.decode(row, from: 1))
            }
        }
        if options.count {
            return counts.mapValues { .object(["count": .int(Int64($0))]) }
        }
        try await populateNested(options, target: target, groups: &result)
        return result.mapValues { items in
            let sliced = slice(items, options)
            return toMany ? .array(sliced.map { .object($0) }) : (sliced.first.map { .object($0) } ?? .null)
        }
    }

    func slice(_ items: [JSONObject], _ options: PopulateOptions) -> [JSONObject] {
        let start = min(options.start ?? 0, items.count)
        // `limit` comes from the query and may be as large as an Int: compare, don't add.
        let end = options.limit.map { $0 >= items.count - start ? items.count : start + $0 } ?? items.count
        return Array(items[start..<end])
    }

    /// Runs the nested populate once over every distinct target row, then puts results back.
    func populateNested(_ options: PopulateOptions, target: Model, groups: inout [Int64: [JSONObject]]) async throws {
        guard !options.populate.isEmpty else { return }
        var distinct: [Int64: JSONObject] = [:]
        var order: [Int64] = []
        for items in groups.values {
            for item in items {
                guard let id = item["id"]?.intValue, distinct[id] == nil else { continue }
                distinct[id] = item
                order.append(id)
            }
        }
        var loaded = order.map { distinct[$0]! }
        try await load(options.populate, into: &loaded, model: target)
        var byID: [Int64: JSONObject] = [:]
        for item in loaded { if let id = item["id"]?.intValue { byID[id] = item } }
        for key in groups.keys {
            groups[key] = groups[key]!.map { item in item["id"]?.intValue.flatMap { byID[$0] } ?? item }
        }
    }

    /// Rows of `model` by id, with nested population.
    func fetch(_ model: Model, ids: [Int64], options: PopulateOptions) async throws -> [Int64: JSONObject] {
        guard !ids.isEmpty else { return [:] }
        let repository = EntityRepository(database: database, model: model)
        var result: [Int64: JSONObject] = [:]
        // Rows by id need no order across chunks: a page of many owners (`limit=-1`) still
        // stays under the database's bind limit.
        for chunk in ids.chunked(into: maxIDsPerQuery) {
            var filter = Filter.field("id", .operator(.in, .array(chunk.map { .int($0) })))
            if let extra = options.filters { filter = filter.and(extra) }
            if let scopeFilter = scope?.filter(for: model) { filter = filter.and(scopeFilter) }
            let rows = try await repository.findMany(EntityQuery(filter: filter, fields: options.fields, populate: options.populate, publicationScope: scope))
            for row in rows { if let id = row["id"]?.intValue { result[id] = row } }
        }
        return result
    }

    func dynamicZoneValues(_ joinTable: ComponentJoinTable, field: Field, uids: [UID], options: PopulateOptions, ids: [Int64]) async throws -> [Int64: JSONValue] {
        var entries: [PolymorphicEntry] = []
        for chunk in ids.chunked(into: maxIDsPerQuery) {
            let query = SQLQueryString("SELECT \(ident: joinTable.entityColumn), \(ident: joinTable.componentColumn), \(ident: joinTable.typeColumn) FROM \(ident: joinTable.name) WHERE \(ident: joinTable.fieldColumn) = \(bind: DatabaseValue.text(field.name)) AND \(ident: joinTable.entityColumn) IN \(SQLGroupExpression(chunk.map { SQLBind(DatabaseValue.int($0)) })) ORDER BY \(ident: joinTable.entityColumn), \(ident: joinTable.orderColumn), \(ident: "id")")
            for row in try await client.query(query) {
                guard let owner = row[0].int64, let id = row[1].int64, let type = row[2].text else { continue }
                entries.append((owner, id, type))
            }
        }
        if options.count { return Self.counts(entries) }
        return try await tagged(entries, tag: "__component", options: options).mapValues { .array($0) }
    }

    /// Other locales of the same document in the same publication state.
    func localizations(model: Model, options: PopulateOptions, ids: [Int64], rows: [JSONObject]) async throws -> [Int64: JSONValue] {
        let repository = EntityRepository(database: database, model: model)
        var keyed: [Int64: (documentId: String, locale: JSONValue)] = [:]
        let known = rows.filter { $0["documentId"] != nil && $0["locale"] != nil }
        if known.count == rows.count {
            for row in rows { if let id = row["id"]?.intValue, let documentId = row["documentId"]?.stringValue { keyed[id] = (documentId, row["locale"] ?? .null) } }
        } else {
            for chunk in ids.chunked(into: maxIDsPerQuery) {
                for row in try await repository.findMany(EntityQuery(filter: .field("id", .operator(.in, .array(chunk.map { .int($0) }))), fields: ["documentId", "locale"])) {
                    if let id = row["id"]?.intValue, let documentId = row["documentId"]?.stringValue { keyed[id] = (documentId, row["locale"] ?? .null) }
                }
            }
        }
        let documentIds = Array(Set(keyed.values.map(\.documentId)))
        guard !documentIds.isEmpty else { return [:] }
        let fields = options.fields.map { Array(Set($0 + ["documentId", "locale"])) }
        // Chunked by document: each document's versions come from one query, in its order.
        var siblings: [JSONObject] = []
        for chunk in documentIds.chunked(into: maxIDsPerQuery) {
            var filter = Filter.field("documentId", .operator(.in, .array(chunk.map { .string($0) })))
            if let extra = options.filters { filter = filter.and(extra) }
            if let scopeFilter = scope?.filter(for: model) { filter = filter.and(scopeFilter) }
            siblings += try await repository.findMany(EntityQuery(filter: filter, sort: options.sort, fields: fields, populate: options.populate, publicationScope: scope))
        }
        var result: [Int64: JSONValue] = [:]
        for (id, key) in keyed {
            let others = siblings.filter { $0["documentId"]?.stringValue == key.documentId && $0["id"]?.intValue != id && $0["locale"] != key.locale }
            result[id] = options.count ? .object(["count": .int(Int64(others.count))]) : .array(slice(others, options).map { .object($0) })
        }
        return result
    }

    /// Keeps `IN` lists well under every database's bind limit.
    var maxIDsPerQuery: Int { max(1, min(5_000, client.dialect.maxBindParameters / 2)) }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
