import SQLKit
import StrataCore
import StrataSchema
import StrataSQL

extension EntityRepository {
    /// Row ids of the targets of a relation, media or component field of one row, in order.
    public func relatedIDs(field name: String, of ownerID: Int64) async throws -> [Int64] {
        guard let field = model.field(name) else { throw DatabaseError(.other, "\(model.uid) has no field \(name)") }
        switch field.storage {
        case .joinTable(let joinTable, _, _, _):
            var order: [any SQLExpression] = []
            if let orderColumn = joinTable.orderColumn { order.append(SQLName(orderColumn)) }
            order.append(SQLName("id"))
            let query = SQLQueryString("SELECT \(ident: joinTable.inverseJoinColumn) FROM \(ident: joinTable.name) WHERE \(ident: joinTable.joinColumn) = \(bind: DatabaseValue.int(ownerID)) ORDER BY \(SQLList(order))")
            return try await client.query(query).compactMap { $0[0].int64 }
        case .joinColumn(let column, _):
            let rows = try await client.query(SQLQueryString("SELECT \(ident: column) FROM \(ident: model.tableName) WHERE \(ident: "id") = \(bind: DatabaseValue.int(ownerID))"))
            return rows.compactMap { $0[0].int64 }
        case .media(let morph, _):
            let query = SQLQueryString("SELECT \(ident: morph.joinColumn) FROM \(ident: morph.name) WHERE \(ident: morph.idColumn) = \(bind: DatabaseValue.int(ownerID)) AND \(ident: morph.typeColumn) = \(bind: DatabaseValue.text(model.uid.rawValue)) AND \(ident: morph.fieldColumn) = \(bind: DatabaseValue.text(name)) ORDER BY \(ident: morph.orderColumn), \(ident: "id")")
            return try await client.query(query).compactMap { $0[0].int64 }
        case .components(let joinTable, _, _, _):
            return try await componentLinks(joinTable, field: name, ownerID: ownerID).map(\.id)
        default:
            return []
        }
    }

    /// Applies a relation change to one row and returns the resulting target list.
    ///
    /// Orders are renumbered 1…n and only changed links are written. For bidirectional
    /// one-to-one and one-to-many relations a target keeps a single owner, so connecting it here
    /// removes its other links, as Strapi does.
    @discardableResult
    public func applyRelation(_ change: RelationChange, field name: String, ownerID: Int64) async throws -> [Int64] {
        guard let field = model.field(name) else { throw DatabaseError(.other, "\(model.uid) has no field \(name)") }
        let current = try await relatedIDs(field: name, of: ownerID)
        var final = try RelationOrdering.apply(change, to: current)
        switch field.storage {
        case .joinTable(let joinTable, _, let kind, let isOwner):
            let relation = field.relation
            let toOne = (kind == .oneToOne) || (kind == .manyToOne && isOwner)
            if toOne, let last = final.last { final = [last] }
            try await writeLinks(joinTable, ownerID: ownerID, current: current, final: final,
                                 exclusiveTargets: (relation?.isBidirectional ?? false) && (kind == .oneToOne || kind == .oneToMany))
        case .joinColumn(let column, _):
            let value: DatabaseValue = final.last.map { .int($0) } ?? .null
            try await client.write(SQLQueryString("UPDATE \(ident: model.tableName) SET \(ident: column) = \(bind: value) WHERE \(ident: "id") = \(bind: DatabaseValue.int(ownerID))"))
        case .media(let morph, let multiple):
            if !multiple, let last = final.last { final = [last] }
            try await writeMorphLinks(morph, field: name, ownerID: ownerID, final: final)
        default:
            throw DatabaseError(.other, "\(model.uid).\(name) is not a relation")
        }
        return final
    }

    func writeLinks(_ joinTable: JoinTable, ownerID: Int64, current: [Int64], final: [Int64], exclusiveTargets: Bool) async throws {
        let owner = DatabaseValue.int(ownerID)
        let removed = current.filter { !final.contains($0) }
        if !removed.isEmpty {
            try await client.write(SQLQueryString("DELETE FROM \(ident: joinTable.name) WHERE \(ident: joinTable.joinColumn) = \(bind: owner) AND \(ident: joinTable.inverseJoinColumn) IN \(SQLGroupExpression(removed.map { SQLBind(DatabaseValue.int($0)) }))"))
        }
        let added = final.filter { !current.contains($0) }
        if exclusiveTargets && !added.isEmpty {
            try await client.write(SQLQueryString("DELETE FROM \(ident: joinTable.name) WHERE \(ident: joinTable.inverseJoinColumn) IN \(SQLGroupExpression(added.map { SQLBind(DatabaseValue.int($0)) })) AND \(ident: joinTable.joinColumn) <> \(bind: owner)"))
        }
        let kept = current.filter { final.contains($0) }
        let keptInOrder = final.filter { kept.contains($0) }
        for (position, target) in final.enumerated() {
            let order = DatabaseValue.double(Double(position + 1))
            if added.contains(target) {
                var columns = [joinTable.joinColumn, joinTable.inverseJoinColumn]
                var values: [any SQLExpression] = [SQLBind(owner), SQLBind(DatabaseValue.int(target))]
                if let orderColumn = joinTable.orderColumn {
                    columns.append(orderColumn)
                    values.append(SQLBind(order))
                }
                if let inverseOrder = joinTable.inverseOrderColumn {
                    columns.append(inverseOrder)
                    values.append(SQLQueryString("(SELECT COALESCE(MAX(\(ident: inverseOrder)), 0) + 1 FROM \(ident: joinTable.name) WHERE \(ident: joinTable.inverseJoinColumn) = \(bind: DatabaseValue.int(target)))"))
                }
                try await client.write(SQLQueryString("INSERT INTO \(ident: joinTable.name) (\(idents: columns, joinedBy: ", ")) VALUES (\(SQLList(values)))"))
            } else if let orderColumn = joinTable.orderColumn, keptInOrder != kept || current.firstIndex(of: target) != position {
                try await client.write(SQLQueryString("UPDATE \(ident: joinTable.name) SET \(ident: orderColumn) = \(bind: order) WHERE \(ident: joinTable.joinColumn) = \(bind: owner) AND \(ident: joinTable.inverseJoinColumn) = \(bind: DatabaseValue.int(target))"))
            }
        }
    }

    func writeMorphLinks(_ morph: MorphJoinTable, field: String, ownerID: Int64, final: [Int64]) async throws {
        try await deleteMorphLinks(morph, field: field, ownerIDs: [ownerID])
        for (position, fileID) in final.enumerated() {
            try await client.write(SQLQueryString("INSERT INTO \(ident: morph.name) (\(ident: morph.joinColumn), \(ident: morph.idColumn), \(ident: morph.typeColumn), \(ident: morph.fieldColumn), \(ident: morph.orderColumn)) VALUES (\(bind: DatabaseValue.int(fileID)), \(bind: DatabaseValue.int(ownerID)), \(bind: DatabaseValue.text(model.uid.rawValue)), \(bind: DatabaseValue.text(field)), \(bind: DatabaseValue.double(Double(position + 1))))"))
        }
    }

    func deleteMorphLinks(_ morph: MorphJoinTable, field: String?, ownerIDs: [Int64]) async throws {
        guard !ownerIDs.isEmpty else { return }
        var query = SQLQueryString("DELETE FROM \(ident: morph.name) WHERE \(ident: morph.typeColumn) = \(bind: DatabaseValue.text(model.uid.rawValue)) AND \(ident: morph.idColumn) IN \(SQLGroupExpression(ownerIDs.map { SQLBind(DatabaseValue.int($0)) }))")
        if let field {
            query = SQLQueryString("\(query) AND \(ident: morph.fieldColumn) = \(bind: DatabaseValue.text(field))")
        }
        try await client.write(query)
    }
}

extension Field {
    /// The relation options, for relation attributes.
    var relation: Relation? {
        if case .relation(let relation)? = attribute?.kind { return relation }
        return nil
    }
}
