import SQLKit
public import StrataCore
import StrataSchema
import StrataSQL

/// One row of a `<table>_cmps` link table.
public struct ComponentLink: Sendable, Equatable {
    public var id: Int64
    public var type: UID
    public var order: Double
}

extension EntityRepository {
    /// The components linked to one row's field, in order.
    public func componentLinks(_ joinTable: ComponentJoinTable, field: String, ownerID: Int64) async throws -> [ComponentLink] {
        let query = SQLQueryString("SELECT \(ident: joinTable.componentColumn), \(ident: joinTable.typeColumn), \(ident: joinTable.orderColumn) FROM \(ident: joinTable.name) WHERE \(ident: joinTable.entityColumn) = \(bind: DatabaseValue.int(ownerID)) AND \(ident: joinTable.fieldColumn) = \(bind: DatabaseValue.text(field)) ORDER BY \(ident: joinTable.orderColumn), \(ident: "id")")
        return try await client.query(query).compactMap { row in
            guard let id = row[0].int64, let type = row[1].text.flatMap({ try? UID($0) }) else { return nil }
            return ComponentLink(id: id, type: type, order: row[2].double ?? 0)
        }
    }

    /// Replaces the component links of one row's field with `links` (in order) and deletes the
    /// component rows (with their own components and links) that are no longer linked.
    public func replaceComponents(field name: String, ownerID: Int64, links: [(id: Int64, type: UID)]) async throws {
        guard let field = model.field(name), case .components(let joinTable, _, _, _) = field.storage else {
            throw DatabaseError(.other, "\(model.uid).\(name) is not a component field")
        }
        let previous = try await componentLinks(joinTable, field: name, ownerID: ownerID)
        try await client.write(SQLQueryString("DELETE FROM \(ident: joinTable.name) WHERE \(ident: joinTable.entityColumn) = \(bind: DatabaseValue.int(ownerID)) AND \(ident: joinTable.fieldColumn) = \(bind: DatabaseValue.text(name))"))
        for (position, link) in links.enumerated() {
            try await client.write(SQLQueryString("INSERT INTO \(ident: joinTable.name) (\(ident: joinTable.entityColumn), \(ident: joinTable.componentColumn), \(ident: joinTable.typeColumn), \(ident: joinTable.fieldColumn), \(ident: joinTable.orderColumn)) VALUES (\(bind: DatabaseValue.int(ownerID)), \(bind: DatabaseValue.int(link.id)), \(bind: DatabaseValue.text(link.type.rawValue)), \(bind: DatabaseValue.text(name)), \(bind: DatabaseValue.double(Double(position + 1))))"))
        }
        let kept = Set(links.map { "\($0.type.rawValue)#\($0.id)" })
        var orphans: [UID: [Int64]] = [:]
        for link in previous where !kept.contains("\(link.type.rawValue)#\(link.id)") {
            orphans[link.type, default: []].append(link.id)
        }
        for (type, ids) in orphans {
            try await database.query(type)?.deleteRows(ids: ids)
        }
    }

    /// Deletes rows with everything that hangs off them and has no foreign key to cascade:
    /// their component rows (recursively) and their media links. Link-table rows go with the
    /// rows through `ON DELETE CASCADE`.
    public func deleteRows(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        for chunk in ids.chunked(into: 5_000) {
            let list = Array(chunk)
            try await deleteDependents(of: list)
            try await client.write(SQLQueryString("DELETE FROM \(ident: model.tableName) WHERE \(ident: "id") IN \(SQLGroupExpression(list.map { SQLBind(DatabaseValue.int($0)) }))"))
        }
    }

    func deleteDependents(of ids: [Int64]) async throws {
        if let joinTable = model.componentJoinTable {
            let query = SQLQueryString("SELECT \(ident: joinTable.componentColumn), \(ident: joinTable.typeColumn) FROM \(ident: joinTable.name) WHERE \(ident: joinTable.entityColumn) IN \(SQLGroupExpression(ids.map { SQLBind(DatabaseValue.int($0)) }))")
            var byType: [String: [Int64]] = [:]
            for row in try await client.query(query) {
                if let id = row[0].int64, let type = row[1].text { byType[type, default: []].append(id) }
            }
            for (type, componentIDs) in byType {
                guard let uid = try? UID(type) else { continue }
                try await database.query(uid)?.deleteRows(ids: componentIDs)
            }
        }
        var morphTables = Set<String>()
        for field in model.fields {
            if case .media(let morph, _) = field.storage, morphTables.insert(morph.name).inserted {
                try await deleteMorphLinks(morph, field: nil, ownerIDs: ids)
            }
        }
    }
}
