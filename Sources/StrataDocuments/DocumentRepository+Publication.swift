import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

extension DocumentRepository {
    /// Publishes the draft of one locale (default), or of every locale with `.all`.
    /// The draft must pass published-level validation (required fields and the like).
    @discardableResult
    public func publish(documentId: String, _ options: WriteOptions = WriteOptions()) async throws -> DocumentEntries {
        try requireDraftAndPublish("publish")
        return try entries(try await service.run(context(.publish, DocumentParams(documentId: documentId, options: options))) { context in
            let documentId = context.params.documentId ?? documentId
            var entries: [Document] = []
            for locale in try await targetLocales(context.params.options.locale, documentId: documentId) {
                guard try await draftID(documentId: documentId, locale: locale) != nil else { continue }
                entries.append(try await publishVersion(documentId: documentId, locale: locale, options: context.params.options))
            }
            return .entries(DocumentEntries(documentId: documentId, entries: entries))
        }, .publish)
    }

    /// Removes the published version of one locale (or every locale); the draft stays.
    @discardableResult
    public func unpublish(documentId: String, _ options: WriteOptions = WriteOptions()) async throws -> DocumentEntries {
        try requireDraftAndPublish("unpublish")
        return try entries(try await service.run(context(.unpublish, DocumentParams(documentId: documentId, options: options))) { context in
            let documentId = context.params.documentId ?? documentId
            var entries: [Document] = []
            for locale in try await targetLocales(context.params.options.locale, documentId: documentId) {
                let filter = versionFilter(documentId: documentId, locale: locale).and(.field("publishedAt", .operator(.notNull, .bool(true))))
                let published = try await entities.findMany(EntityQuery(filter: filter))
                guard !published.isEmpty else { continue }
                try await entities.deleteRows(ids: published.compactMap { $0["id"]?.intValue })
                entries.append(contentsOf: published)
                await service.emit(DocumentEvent(kind: .unpublished, uid: contentType.uid, documentId: documentId, locale: locale, entry: published.first))
            }
            return .entries(DocumentEntries(documentId: documentId, entries: entries))
        }, .unpublish)
    }

    /// Replaces the draft of one locale (or every locale) with a copy of its published version.
    @discardableResult
    public func discardDraft(documentId: String, _ options: WriteOptions = WriteOptions()) async throws -> DocumentEntries {
        try requireDraftAndPublish("discardDraft")
        return try entries(try await service.run(context(.discardDraft, DocumentParams(documentId: documentId, options: options))) { context in
            let documentId = context.params.documentId ?? documentId
            var entries: [Document] = []
            for locale in try await targetLocales(context.params.options.locale, documentId: documentId) {
                let base = versionFilter(documentId: documentId, locale: locale)
                guard let publishedID = try await entities.ids(base.and(.field("publishedAt", .operator(.notNull, .bool(true))))).first else { continue }
                let draftID: Int64
                if let existing = try await self.draftID(documentId: documentId, locale: locale) {
                    try await copyScalars(from: publishedID, to: existing, publishedAt: .null)
                    try await entities.copyDependents(from: publishedID, to: existing, mapping: versionMapping(.draft))
                    draftID = existing
                } else {
                    draftID = try await entities.cloneRow(publishedID, overriding: [("publishedAt", .null)], mapping: versionMapping(.draft))
                }
                let draft = try await read(id: draftID, options: context.params.options, scope: .draft)
                entries.append(draft)
                await service.emit(DocumentEvent(kind: .draftDiscarded, uid: contentType.uid, documentId: documentId, locale: locale, entry: draft))
            }
            return .entries(DocumentEntries(documentId: documentId, entries: entries))
        }, .discardDraft)
    }

    func requireDraftAndPublish(_ method: String) throws {
        guard hasDraftAndPublish else {
            throw ValidationError("\(method) is only available on content types with Draft & Publish enabled")
        }
    }

    func versionFilter(documentId: String, locale: String?) -> Filter {
        var filter = Filter.equals("documentId", .string(documentId))
        if let locale { filter = filter.and(.equals("locale", .string(locale))) }
        return filter
    }

    func draftID(documentId: String, locale: String?) async throws -> Int64? {
        try await entities.ids(versionFilter(documentId: documentId, locale: locale).and(.field("publishedAt", .operator(.null, .bool(true))))).first
    }

    /// Makes the published version of a document's locale a copy of its draft: scalars,
    /// components, media and owned relations (re-pointed to the published versions of their
    /// targets; targets without one are dropped). The published row keeps its id, so relations
    /// pointing to it from other documents survive.
    func publishVersion(documentId: String, locale: String?, options: WriteOptions) async throws -> Document {
        let base = versionFilter(documentId: documentId, locale: locale)
        guard let draftID = try await draftID(documentId: documentId, locale: locale) else { throw NotFoundError("Document not found") }
        try await validateForPublication(draftID)
        let published = try await entities.ids(base.and(.field("publishedAt", .operator(.notNull, .bool(true)))))
        let now = DatabaseValue.timestamp(service.clock.now())
        let mapping = versionMapping(.published)
        let publishedID: Int64
        if let existing = published.first {
            if published.count > 1 { try await entities.deleteRows(ids: Array(published.dropFirst())) }
            try await copyScalars(from: draftID, to: existing, publishedAt: now)
            try await entities.copyDependents(from: draftID, to: existing, mapping: mapping)
            publishedID = existing
        } else {
            publishedID = try await entities.cloneRow(draftID, overriding: [("publishedAt", now)], mapping: mapping)
        }
        let document = try await read(id: publishedID, options: options, scope: .published)
        await service.emit(DocumentEvent(kind: .published, uid: contentType.uid, documentId: documentId, locale: locale, entry: document))
        return document
    }

    /// Copies every column but `id` and `publishedAt` between two versions.
    func copyScalars(from sourceID: Int64, to targetID: Int64, publishedAt: DatabaseValue) async throws {
        guard let source = try await entities.findOne(EntityQuery(filter: .equals("id", .int(sourceID)))) else { throw NotFoundError("Document not found") }
        var row: [(String, DatabaseValue)] = []
        for field in model.columnFields where field.name != "id" && field.name != "publishedAt" {
            row.append((field.name, try entities.encode(source[field.name] ?? .null, field: field.name)))
        }
        row.append(("publishedAt", publishedAt))
        try await entities.update(.equals("id", .int(targetID)), set: row)
    }

    /// Maps related rows of Draft & Publish targets to their versions in `scope` (same
    /// documentId and locale); other targets map to themselves.
    func versionMapping(_ scope: PublicationScope) -> RelatedRowMapping {
        let database = service.database
        return { uid, ids in
            guard let target = database.metadata.model(uid), target.hasDraftAndPublish, let repository = database.query(uid) else {
                return Dictionary(uniqueKeysWithValues: Set(ids).map { ($0, $0) })
            }
            guard !ids.isEmpty, let scopeFilter = scope.filter(for: target) else { return [:] }
            let sources = try await repository.findMany(EntityQuery(filter: .field("id", .operator(.in, .array(ids.map { .int($0) }))), fields: ["documentId", "locale"]))
            let documentIds = Set(sources.compactMap { $0["documentId"]?.stringValue })
            guard !documentIds.isEmpty else { return [:] }
            let versions = try await repository.findMany(EntityQuery(
                filter: Filter.field("documentId", .operator(.in, .array(documentIds.map { .string($0) }))).and(scopeFilter),
                fields: ["documentId", "locale"]))
            var result: [Int64: Int64] = [:]
            for source in sources {
                guard let id = source["id"]?.intValue else { continue }
                let match = versions.first { $0["documentId"] == source["documentId"] && $0["locale"] == source["locale"] }
                if let version = match?["id"]?.intValue { result[id] = version }
            }
            return result
        }
    }

    /// A draft may be incomplete; its published version may not: re-validate the stored draft
    /// (scalars and components, recursively) with published-level rules.
    func validateForPublication(_ draftID: Int64) async throws {
        let populate = componentPopulate(contentType.attributes)
        guard let draft = try await entities.findOne(EntityQuery(filter: .equals("id", .int(draftID)), populate: populate)) else { return }
        var data = JSONObject()
        for attribute in contentType.userAttributes {
            switch attribute.kind {
            case .password, .relation: continue
            case .media:
                guard attribute.required else { continue }
                let linked = try await entities.relatedIDs(field: attribute.name, of: draftID)
                data[attribute.name] = linked.isEmpty ? .null : .array(linked.map { .int($0) })
            default:
                data[attribute.name] = draft[attribute.name] ?? .null
            }
        }
        let validator = DataValidator(registry: service.registry, isDraft: false)
        _ = try validator.validateStored(data, attributes: contentType.userAttributes)
    }

    /// Populate spec that loads every component and dynamic zone, recursively.
    func componentPopulate(_ attributes: [Attribute]) -> Populate {
        var populate = Populate()
        for attribute in attributes {
            switch attribute.kind {
            case .component(let uid, _):
                var options = PopulateOptions.all
                options.populate = componentPopulate(service.registry.component(uid)?.attributes ?? [])
                populate.set(attribute.name, options)
            case .dynamiczone(let uids):
                var options = PopulateOptions.all
                var fragments: [UID: PopulateOptions] = [:]
                for uid in uids {
                    var fragment = PopulateOptions.all
                    fragment.populate = componentPopulate(service.registry.component(uid)?.attributes ?? [])
                    fragments[uid] = fragment
                }
                options.on = fragments
                populate.set(attribute.name, options)
            default:
                continue
            }
        }
        return populate
    }
}
