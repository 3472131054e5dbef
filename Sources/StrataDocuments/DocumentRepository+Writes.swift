import HummingbirdBcrypt
public import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

extension DocumentRepository {
    /// Creates a document (its draft, and its published version when `status` is `.published`).
    public func create(data: JSONObject, _ options: WriteOptions = WriteOptions()) async throws -> Document {
        let publish = options.status == .published || !hasDraftAndPublish
        let locale = try await writeLocale(options.locale)
        return try await service.database.transaction {
            let values = try await prepare(data, mode: .create, publishing: publish, locale: locale, documentId: nil)
            let documentId = service.documentIDs.next()
            let now = service.clock.now()
            var row: [(String, DatabaseValue)] = [("documentId", .text(documentId))]
            row.append(contentsOf: try encodeScalars(values))
            row.append(("createdAt", .timestamp(now)))
            row.append(("updatedAt", .timestamp(now)))
            row.append(("publishedAt", hasDraftAndPublish ? .null : .timestamp(now)))
            row.append(("locale", locale.map { .text($0) } ?? .null))
            let id = try await entities.insert(row)
            try await writer(locale: locale, status: options.status).writeDependents(values, repository: entities, rowID: id, path: [])
            if hasDraftAndPublish && options.status == .published {
                return try await publishVersion(documentId: documentId, locale: locale, options: options)
            }
            return try await read(id: id, options: options)
        }
    }

    /// Updates the draft of a document (and publishes it when `status` is `.published`).
    /// Returns `nil` when the document does not exist.
    public func update(documentId: String, data: JSONObject, _ options: WriteOptions = WriteOptions()) async throws -> Document? {
        let publish = options.status == .published || !hasDraftAndPublish
        let locale = try await writeLocale(options.locale)
        return try await service.database.transaction {
            var target = Filter.equals("documentId", .string(documentId))
            if let locale { target = target.and(.equals("locale", .string(locale))) }
            if hasDraftAndPublish { target = target.and(.field("publishedAt", .operator(.null, .bool(true)))) }
            guard let existing = try await entities.findOne(EntityQuery(filter: target, fields: ["id"])),
                let id = existing["id"]?.intValue
            else {
                return nil
            }
            let values = try await prepare(data, mode: .update, publishing: publish, locale: locale, documentId: documentId)
            var row = try encodeScalars(values)
            row.append(("updatedAt", .timestamp(service.clock.now())))
            try await entities.update(.equals("id", .int(id)), set: row)
            try await writer(locale: locale, status: options.status).writeDependents(values, repository: entities, rowID: id, path: [])
            if hasDraftAndPublish && options.status == .published {
                return try await publishVersion(documentId: documentId, locale: locale, options: options)
            }
            return try await read(id: id, options: options)
        }
    }

    /// Deletes every version of a document in the locale (or every locale with `.all`), with its
    /// components and links. Returns the number of rows deleted; zero when it does not exist.
    @discardableResult
    public func delete(documentId: String, _ options: WriteOptions = WriteOptions()) async throws -> Int {
        var filter = Filter.equals("documentId", .string(documentId))
        if contentType.localized, options.locale != .all {
            let locale: String
            if case .code(let code) = options.locale { locale = code } else { locale = try await service.locales.defaultLocale() }
            filter = filter.and(.equals("locale", .string(locale)))
        }
        let target = filter
        return try await service.database.transaction {
            let ids = try await entities.ids(target)
            try await entities.deleteRows(ids: ids)
            return ids.count
        }
    }

    /// Makes the published version of a document's locale a copy of its draft: scalars,
    /// components, media and owned relations (re-pointed to the published versions of their
    /// targets; targets without one are dropped). The published row keeps its id, so relations
    /// pointing to it from other documents survive.
    func publishVersion(documentId: String, locale: String?, options: WriteOptions) async throws -> Document {
        var base = Filter.equals("documentId", .string(documentId))
        if let locale { base = base.and(.equals("locale", .string(locale))) }
        let draftIDs = try await entities.ids(base.and(.field("publishedAt", .operator(.null, .bool(true)))))
        guard let draftID = draftIDs.first else { throw NotFoundError("Document not found") }
        let published = try await entities.ids(base.and(.field("publishedAt", .operator(.notNull, .bool(true)))))
        let now = DatabaseValue.timestamp(service.clock.now())
        let mapping = publishedVersionMapping()
        let publishedID: Int64
        if let existing = published.first {
            if published.count > 1 { try await entities.deleteRows(ids: Array(published.dropFirst())) }
            guard let draft = try await entities.findOne(EntityQuery(filter: .equals("id", .int(draftID)))) else { throw NotFoundError("Document not found") }
            var row: [(String, DatabaseValue)] = []
            for field in model.columnFields where field.name != "id" && field.name != "publishedAt" {
                row.append((field.name, try entities.encode(draft[field.name] ?? .null, field: field.name)))
            }
            row.append(("publishedAt", now))
            try await entities.update(.equals("id", .int(existing)), set: row)
            try await entities.copyDependents(from: draftID, to: existing, mapping: mapping)
            publishedID = existing
        } else {
            publishedID = try await entities.cloneRow(draftID, overriding: [("publishedAt", now)], mapping: mapping)
        }
        return try await read(id: publishedID, options: options, scope: .published)
    }

    /// Maps related rows of Draft & Publish targets to their published versions (same
    /// documentId and locale); other targets map to themselves.
    func publishedVersionMapping() -> RelatedRowMapping {
        let database = service.database
        return { uid, ids in
            guard let target = database.metadata.model(uid), target.hasDraftAndPublish, let repository = database.query(uid) else {
                return Dictionary(uniqueKeysWithValues: Set(ids).map { ($0, $0) })
            }
            guard !ids.isEmpty else { return [:] }
            let sources = try await repository.findMany(EntityQuery(filter: .field("id", .operator(.in, .array(ids.map { .int($0) }))), fields: ["documentId", "locale"]))
            let documentIds = Set(sources.compactMap { $0["documentId"]?.stringValue })
            guard !documentIds.isEmpty else { return [:] }
            let versions = try await repository.findMany(EntityQuery(
                filter: Filter.field("documentId", .operator(.in, .array(documentIds.map { .string($0) }))).and(.field("publishedAt", .operator(.notNull, .bool(true)))),
                fields: ["documentId", "locale"]))
            var result: [Int64: Int64] = [:]
            for source in sources {
                guard let id = source["id"]?.intValue else { continue }
                let match = versions.first { $0["documentId"] == source["documentId"] && $0["locale"] == source["locale"] }
                if let published = match?["id"]?.intValue { result[id] = published }
            }
            return result
        }
    }

    func writer(locale: String?, status: DocumentStatus?) -> EntryWriter {
        EntryWriter(service: service, resolver: RelationResolver(service: service, locale: locale, sourceHasDraftAndPublish: hasDraftAndPublish, operationStatus: status))
    }

    func read(id: Int64, options: WriteOptions, scope: PublicationScope? = nil) async throws -> Document {
        let publicationScope = scope ?? (hasDraftAndPublish ? .draft : (options.status == .published ? .published : .draft))
        guard let document = try await entities.findOne(EntityQuery(filter: .equals("id", .int(id)), fields: options.fields, populate: options.populate, publicationScope: publicationScope)) else {
            throw NotFoundError("Document not found")
        }
        return document
    }

    /// Validates `data` (recursively) and checks uniqueness of published values.
    func prepare(_ data: JSONObject, mode: EntryValidator.Mode, publishing: Bool, locale: String?, documentId: String?) async throws -> EntryValues {
        let values = try DataValidator(registry: service.registry, isDraft: !publishing).validate(data, attributes: contentType.attributes, mode: mode)
        if publishing {
            try await checkUnique(values.scalars, locale: locale, excluding: documentId)
        }
        return values
    }

    /// Column values for the scalars, passwords hashed with bcrypt as Strapi stores them.
    func encodeScalars(_ values: EntryValues) throws -> [(String, DatabaseValue)] {
        var row: [(String, DatabaseValue)] = []
        for (name, value) in values.scalars {
            guard let attribute = contentType.attribute(named: name) else { continue }
            if case .password = attribute.kind, let plain = value.stringValue {
                let rounds = attribute.raw["encryption"]?["rounds"]?.intValue ?? 10
                row.append((name, .text(Bcrypt.hash(plain, cost: UInt8(clamping: rounds)))))
                continue
            }
            row.append((name, try entities.encode(value, field: name)))
        }
        return row
    }

    /// Strapi's `unique` check: among published rows of the same locale, other documents only.
    func checkUnique(_ values: [(String, JSONValue)], locale: String?, excluding documentId: String?) async throws {
        var errors: [ValidationError.FieldError] = []
        for (name, value) in values {
            guard let attribute = contentType.attribute(named: name) else { continue }
            let isUID: Bool
            if case .uid = attribute.kind { isUID = true } else { isUID = false }
            guard attribute.unique || isUID else { continue }
            if value == .null || value == .string("") { continue }
            var filter = Filter.equals(name, value)
            if hasDraftAndPublish { filter = filter.and(.field("publishedAt", .operator(.notNull, .bool(true)))) }
            if let locale { filter = filter.and(.equals("locale", .string(locale))) }
            if let documentId { filter = filter.and(.field("documentId", .operator(.ne, .string(documentId)))) }
            if try await entities.count(filter) > 0 {
                errors.append(.init(path: [name], message: "This attribute must be unique", value: value))
            }
        }
        if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
    }
}
