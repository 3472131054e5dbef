import SQLKit
public import StrataCore
import StrataSchema
public import StrataSQL

/// Maps related row ids of a target model to the rows the copy should point to (e.g. draft →
/// published versions). Ids missing from the result are dropped.
public typealias RelatedRowMapping = @Sendable (_ target: UID, _ ids: [Int64]) async throws -> [Int64: Int64]

extension EntityRepository {
    /// Makes row `targetID` carry copies of row `sourceID`'s relations, components (cloned row by
    /// row, recursively) and media links — what publishing and discarding a draft do. Relations
    /// this model owns are re-pointed through `mapping`; inverse sides belong to the other model.
    public func copyDependents(from sourceID: Int64, to targetID: Int64, mapping: RelatedRowMapping) async throws {
        for field in model.fields {
            try await copyField(field.name, from: sourceID, to: targetID, mapping: mapping)
        }
    }

    /// Copies one relation, media or component field between rows (see ``copyDependents(from:to:mapping:)``).
    public func copyField(_ name: String, from sourceID: Int64, to targetID: Int64, mapping: RelatedRowMapping) async throws {
        guard let field = model.field(name) else { return }
        switch field.storage {
        case .joinTable(_, let targetUID, _, let isOwner) where isOwner:
            let sourceTargets = try await relatedIDs(field: field.name, of: sourceID)
            let mapped = try await mapping(targetUID, sourceTargets)
            try await applyRelation(.set(sourceTargets.compactMap { mapped[$0] }), field: field.name, ownerID: targetID)
        case .joinColumn(_, let targetUID):
            let sourceTargets = try await relatedIDs(field: field.name, of: sourceID)
            let mapped = try await mapping(targetUID, sourceTargets)
            try await applyRelation(.set(sourceTargets.compactMap { mapped[$0] }), field: field.name, ownerID: targetID)
        case .media:
            try await applyRelation(.set(try await relatedIDs(field: field.name, of: sourceID)), field: field.name, ownerID: targetID)
        case .components(let joinTable, _, _, _):
            var copies: [(id: Int64, type: UID)] = []
            for link in try await componentLinks(joinTable, field: field.name, ownerID: sourceID) {
                guard let component = database.query(link.type) else { continue }
                copies.append((try await component.cloneRow(link.id, mapping: mapping), link.type))
            }
            try await replaceComponents(field: field.name, ownerID: targetID, links: copies)
        default:
            return
        }
    }

    /// Inserts a copy of one row (all columns but `id`) with copies of its dependents.
    public func cloneRow(_ id: Int64, overriding values: [(String, DatabaseValue)] = [], mapping: RelatedRowMapping) async throws -> Int64 {
        let columns = model.columnFields.filter { $0.name != "id" }.map { $0.column!.name }
        let overridden = try values.map { (try columnName(for: $0.0), $0.1) }
        let copied = columns.filter { column in !overridden.contains { $0.0 == column } }
        var insertColumns = copied
        var selectList: [any SQLExpression] = copied.map { SQLName($0) }
        for (column, value) in overridden {
            insertColumns.append(column)
            selectList.append(SQLBind(value))
        }
        let query = SQLQueryString("INSERT INTO \(ident: model.tableName) (\(idents: insertColumns, joinedBy: ", ")) SELECT \(SQLList(selectList)) FROM \(ident: model.tableName) WHERE \(ident: "id") = \(bind: DatabaseValue.int(id)) RETURNING \(ident: "id")")
        guard let newID = try await client.write(query).first?[0].int64 else {
            throw DatabaseError(.other, "cannot copy \(model.uid) row \(id): it does not exist")
        }
        try await copyDependents(from: id, to: newID, mapping: mapping)
        return newID
    }
}
