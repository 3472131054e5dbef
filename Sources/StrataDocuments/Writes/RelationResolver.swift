import StrataCore
import StrataDatabase
import StrataSchema

/// Turns relation inputs (documentIds, ids, positions) into row-id changes for the query engine,
/// choosing the target version as Strapi 5 does: the locale and status given in the longhand
/// form, else the writer's locale for localized targets and, for Draft & Publish targets, the
/// draft when the source has Draft & Publish (its draft is written first), else the operation's status.
struct RelationResolver {
    let service: DocumentService
    /// Locale of the row being written (`nil` when its type is not localized).
    let locale: String?
    let sourceHasDraftAndPublish: Bool
    let operationStatus: DocumentStatus?

    func resolve(_ input: RelationInput, target: Model, path: String) async throws -> RelationChange {
        var references: [RelationReference] = []
        switch input {
        case .set(let items):
            references = items.map(\.reference)
        case .connect(let connect, let disconnect, _):
            references = connect.map(\.reference) + disconnect.map(\.reference)
            for item in connect {
                switch item.position {
                case .before(let reference), .after(let reference): references.append(reference)
                default: break
                }
            }
        }
        let resolved = try await lookup(references, target: target)
        func required(_ reference: RelationReference) throws -> Int64 {
            if let id = resolved[reference] { return id }
            switch reference {
            case .documentId(let documentId, let locale, _):
                let shownLocale = locale ?? targetLocale(for: target).map { $0 } ?? "null"
                throw ValidationError("Document with id \"\(documentId)\", locale \"\(shownLocale)\" not found",
                                      details: .object(["key": .string(path), "source": "body"]))
            case .id(let id):
                throw ValidationError("Document with id \"\(id)\" not found", details: .object(["key": .string(path), "source": "body"]))
            }
        }
        switch input {
        case .set(let items):
            return .set(try items.map { try required($0.reference) })
        case .connect(let connect, let disconnect, let strict):
            let connections = try connect.map { item -> RelationConnection in
                let position: RelationPosition?
                switch item.position {
                case .start: position = .start
                case .end: position = .end
                // Unknown anchors get an id no row has, so the orderer reports them (or appends when not strict).
                case .before(let reference): position = .before(resolved[reference] ?? -1)
                case .after(let reference): position = .after(resolved[reference] ?? -1)
                case nil: position = nil
                }
                return RelationConnection(id: try required(item.reference), position: position)
            }
            return .connect(connections, disconnect: disconnect.compactMap { resolved[$0.reference] }, strict: strict)
        }
    }

    func targetLocale(for target: Model) -> String? {
        guard target.contentType?.localized == true else { return nil }
        return locale
    }

    func targetScope(for target: Model, status: DocumentStatus?) -> PublicationScope? {
        guard target.hasDraftAndPublish else { return nil }
        if let status { return status == .published ? .published : .draft }
        if sourceHasDraftAndPublish { return .draft }
        return operationStatus == .published ? .published : .draft
    }

    /// Row ids for every reference that exists.
    func lookup(_ references: [RelationReference], target: Model) async throws -> [RelationReference: Int64] {
        guard let repository = service.database.query(target.uid) else { return [:] }
        var result: [RelationReference: Int64] = [:]
        let ids = Set(references.compactMap { reference -> Int64? in
            if case .id(let id) = reference { return id }
            return nil
        })
        if !ids.isEmpty {
            let rows = try await repository.ids(.field("id", .operator(.in, .array(ids.map { .int($0) }))))
            for id in rows { result[.id(id)] = id }
        }
        // Group documentId references by the version they ask for.
        var groups: [String: (locale: String?, status: DocumentStatus?, documentIds: [String])] = [:]
        for reference in references {
            guard case .documentId(let documentId, let locale, let status) = reference else { continue }
            let key = "\(locale ?? "")|\(status?.rawValue ?? "")"
            groups[key, default: (locale, status, [])].documentIds.append(documentId)
        }
        for (_, group) in groups {
            var filter = Filter.field("documentId", .operator(.in, .array(group.documentIds.map { .string($0) })))
            if target.contentType?.localized == true {
                let locale: String
                if let explicit = group.locale { locale = explicit } else if let own = self.locale { locale = own } else { locale = try await service.locales.defaultLocale() }
                filter = filter.and(.equals("locale", .string(locale)))
            }
            if let scope = targetScope(for: target, status: group.status)?.filter(for: target) {
                filter = filter.and(scope)
            }
            let rows = try await repository.findMany(EntityQuery(filter: filter, fields: ["documentId"]))
            for row in rows {
                guard let id = row["id"]?.intValue, let documentId = row["documentId"]?.stringValue else { continue }
                result[.documentId(documentId, locale: group.locale, status: group.status)] = id
            }
        }
        return result
    }
}
