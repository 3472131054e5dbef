import SQLKit
import StrataCore
import StrataSchema
import StrataSQL

extension PopulateLoader {
    /// The targets of a polymorphic relation (`morphToMany`/`morphToOne`, e.g. a file's `related`):
    /// link rows name each target's type, so targets are fetched per type and tagged with
    /// `__type`, as Strapi returns them, in link order.
    func morphValues(_ morph: MorphJoinTable, kind: Relation.Kind, options: PopulateOptions, ids: [Int64]) async throws -> [Int64: JSONValue] {
        var entries: [(owner: Int64, id: Int64, type: String)] = []
        for chunk in ids.chunked(into: maxIDsPerQuery) {
            let query = SQLQueryString("SELECT \(ident: morph.joinColumn), \(ident: morph.idColumn), \(ident: morph.typeColumn) FROM \(ident: morph.name) WHERE \(ident: morph.joinColumn) IN \(SQLGroupExpression(chunk.map { SQLBind(DatabaseValue.int($0)) })) ORDER BY \(ident: morph.joinColumn), \(ident: morph.orderColumn), \(ident: "id")")
            for row in try await client.query(query) {
                guard let owner = row[0].int64, let id = row[1].int64, let type = row[2].text else { continue }
                entries.append((owner, id, type))
            }
        }
        var targets: [String: [Int64: JSONObject]] = [:]
        for type in Set(entries.map(\.type)) {
            // Only types this project models (a link to a removed type is skipped, not an error).
            guard let uid = try? UID(type), let model = metadata.model(uid) else { continue }
            targets[type] = try await fetch(model, ids: entries.filter { $0.type == type }.map(\.id), options: options.on?[uid] ?? .all)
        }
        if options.count {
            var counts: [Int64: Int] = [:]
            for entry in entries where targets[entry.type]?[entry.id] != nil { counts[entry.owner, default: 0] += 1 }
            return counts.mapValues { .object(["count": .int(Int64($0))]) }
        }
        var result: [Int64: [JSONValue]] = [:]
        for entry in entries {
            guard let row = targets[entry.type]?[entry.id] else { continue }
            var item = JSONObject(minimumCapacity: row.count + 1)
            item.appendUnique("__type", .string(entry.type))
            for (key, value) in row { item.appendUnique(key, value) }
            result[entry.owner, default: []].append(.object(item))
        }
        if kind == .morphToOne { return result.mapValues { $0.first ?? .null } }
        return result.mapValues { .array($0) }
    }
}
