import SQLKit
import StrataCore
import StrataSchema
import StrataSQL

/// One link of a polymorphic field: the owner row, the target row and the target's uid.
typealias PolymorphicEntry = (owner: Int64, id: Int64, type: String)

extension PopulateLoader {
    /// The targets of a polymorphic relation (`morphToMany`/`morphToOne`, e.g. a file's `related`),
    /// tagged with `__type` as Strapi returns them, in link order.
    func morphValues(_ morph: MorphJoinTable, kind: Relation.Kind, options: PopulateOptions, ids: [Int64]) async throws -> [Int64: JSONValue] {
        var entries: [PolymorphicEntry] = []
        for chunk in ids.chunked(into: maxIDsPerQuery) {
            let query = SQLQueryString("SELECT \(ident: morph.joinColumn), \(ident: morph.idColumn), \(ident: morph.typeColumn) FROM \(ident: morph.name) WHERE \(ident: morph.joinColumn) IN \(SQLGroupExpression(chunk.map { SQLBind(DatabaseValue.int($0)) })) ORDER BY \(ident: morph.joinColumn), \(ident: morph.orderColumn), \(ident: "id")")
            for row in try await client.query(query) {
                guard let owner = row[0].int64, let id = row[1].int64, let type = row[2].text else { continue }
                if let types = options.types, !((try? UID(type)).map(types.contains) ?? false) { continue }
                entries.append((owner, id, type))
            }
        }
        if options.count { return Self.counts(entries) }
        let targets = try await tagged(entries, tag: "__type", options: options)
        if kind == .morphToOne { return targets.mapValues { $0.first ?? .null } }
        return targets.mapValues { .array($0) }
    }

    /// Fetches the targets of polymorphic links per type (with the `on` fragment for that type)
    /// and returns them per owner, in link order, each tagged with its uid under `tag`
    /// (`__component` for dynamic zones, `__type` for morph relations). Links to types this
    /// project does not model are skipped.
    func tagged(_ entries: [PolymorphicEntry], tag: String, options: PopulateOptions) async throws -> [Int64: [JSONValue]] {
        var targets: [String: [Int64: JSONObject]] = [:]
        for type in Set(entries.map(\.type)) {
            guard let uid = try? UID(type), let model = metadata.model(uid) else { continue }
            targets[type] = try await fetch(model, ids: entries.filter { $0.type == type }.map(\.id), options: options.on?[uid] ?? .all)
        }
        var result: [Int64: [JSONValue]] = [:]
        for entry in entries {
            guard let row = targets[entry.type]?[entry.id] else { continue }
            var item = JSONObject(minimumCapacity: row.count + 1)
            item.appendUnique(tag, .string(entry.type))
            for (key, value) in row { item.appendUnique(key, value) }
            result[entry.owner, default: []].append(.object(item))
        }
        return result
    }

    /// `populate[field][count]=true` on a polymorphic field: the number of links per owner.
    static func counts(_ entries: [PolymorphicEntry]) -> [Int64: JSONValue] {
        var counts: [Int64: Int] = [:]
        for entry in entries { counts[entry.owner, default: 0] += 1 }
        return counts.mapValues { .object(["count": .int(Int64($0))]) }
    }
}
