import HummingbirdBcrypt
import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

extension DocumentRepository {
    func performCreate(_ data: JSONObject, _ options: WriteOptions) async throws -> Document {
        let publish = options.status == .published || !hasDraftAndPublish
        let locale = try await writeLocale(options.locale)
        let values = try await prepare(data, mode: .create, publishing: publish, locale: locale, documentId: nil)
        let documentId = service.documentIDs.next()
        let id = try await insertVersion(documentId: documentId, locale: locale, values: values, options: options)
        let draft = try await read(id: id, options: options)
        await service.emit(DocumentEvent(kind: .created, uid: contentType.uid, documentId: documentId, locale: locale, entry: draft))
        if hasDraftAndPublish && options.status == .published {
            return try await publishVersion(documentId: documentId, locale: locale, options: options)
        }
        return draft
    }

    /// Inserts a new draft row (or the only row without Draft & Publish) with its dependents.
    func insertVersion(documentId: String, locale: String?, values: EntryValues, options: WriteOptions) async throws -> Int64 {
        let now = service.clock.now()
        var row: [(String, DatabaseValue)] = [("documentId", .text(documentId))]
        row.append(contentsOf: try encodeScalars(values))
        row.append(("createdAt", .timestamp(now)))
        row.append(("updatedAt", .timestamp(now)))
        row.append(("publishedAt", hasDraftAndPublish ? .null : .timestamp(now)))
        row.append(("locale", locale.map { .text($0) } ?? .null))
        let id = try await entities.insert(row)
        try await writer(locale: locale, status: options.status).writeDependents(values, repository: entities, rowID: id, path: [])
        return id
    }

    func performUpdate(documentId: String, data: JSONObject, _ options: WriteOptions) async throws -> Document? {
        let publish = options.status == .published || !hasDraftAndPublish
        let locale = try await writeLocale(options.locale)
        var target = Filter.equals("documentId", .string(documentId))
        if let locale { target = target.and(.equals("locale", .string(locale))) }
        if hasDraftAndPublish { target = target.and(.field("publishedAt", .operator(.null, .bool(true)))) }
        let id: Int64
        if let existing = try await entities.ids(target).first {
            let values = try await prepare(data, mode: .update, publishing: publish, locale: locale, documentId: documentId)
            var row = try encodeScalars(values)
            row.append(("updatedAt", .timestamp(service.clock.now())))
            try await entities.update(.equals("id", .int(existing)), set: row)
            try await writer(locale: locale, status: options.status).writeDependents(values, repository: entities, rowID: existing, path: [])
            id = existing
        } else if let locale, try await entities.count(.equals("documentId", .string(documentId))) > 0 {
            // A new locale version of an existing document: localized values from the payload,
            // the others from the document's existing versions.
            var merged = data
            for (name, value) in try await nonLocalizedValues(documentId: documentId) where merged[name] == nil {
                merged[name] = value
            }
            let values = try await prepare(merged, mode: .create, publishing: publish, locale: locale, documentId: documentId)
            id = try await insertVersion(documentId: documentId, locale: locale, values: values, options: options)
        } else {
            return nil
        }
        try await syncNonLocalizedValues(documentId: documentId, from: id)
        let draft = try await read(id: id, options: options)
        await service.emit(DocumentEvent(kind: .updated, uid: contentType.uid, documentId: documentId, locale: locale, entry: draft))
        if hasDraftAndPublish && options.status == .published {
            return try await publishVersion(documentId: documentId, locale: locale, options: options)
        }
        return draft
    }

    func performDelete(documentId: String, _ options: WriteOptions) async throws -> DocumentEntries {
        if hasDraftAndPublish && options.status == .draft {
            throw ValidationError("Cannot delete a draft document")
        }
        var filter = Filter.equals("documentId", .string(documentId))
        if contentType.localized, options.locale != .all {
            filter = filter.and(.equals("locale", .string(try await writeLocale(options.locale) ?? "")))
        }
        let deleted = try await entities.findMany(EntityQuery(filter: filter))
        try await entities.deleteRows(ids: deleted.compactMap { $0["id"]?.intValue })
        for locale in Set(deleted.map { $0["locale"]?.stringValue ?? "" }) {
            let entry = deleted.first { ($0["locale"]?.stringValue ?? "") == locale }
            await service.emit(DocumentEvent(kind: .deleted, uid: contentType.uid, documentId: documentId, locale: locale.isEmpty ? nil : locale, entry: entry))
        }
        return DocumentEntries(documentId: documentId, entries: deleted)
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
    ///
    /// The check and the write that follows are one step: where the database runs write
    /// transactions side by side (PostgreSQL), a lock per content type, held to the end of the
    /// transaction, keeps two requests from both passing the check with the same value.
    func checkUnique(_ values: [(String, JSONValue)], locale: String?, excluding documentId: String?) async throws {
        var errors: [ValidationError.FieldError] = []
        var locked = false
        for (name, value) in values {
            guard let attribute = contentType.attribute(named: name) else { continue }
            let isUID: Bool
            if case .uid = attribute.kind { isUID = true } else { isUID = false }
            guard attribute.unique || isUID else { continue }
            if value == .null || value == .string("") { continue }
            if !locked, let lock = service.database.client.dialect.transactionLock("strata:unique:" + contentType.uid.description) {
                try await service.database.client.write(lock)
                locked = true
            }
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
