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
            row.append(contentsOf: values)
            row.append(("createdAt", .timestamp(now)))
            row.append(("updatedAt", .timestamp(now)))
            row.append(("publishedAt", hasDraftAndPublish ? .null : .timestamp(now)))
            row.append(("locale", locale.map { .text($0) } ?? .null))
            let id = try await entities.insert(row)
            if hasDraftAndPublish && options.status == .published {
                return try await publishVersion(documentId: documentId, locale: locale, fields: options.fields)
            }
            return try await read(id: id, fields: options.fields)
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
            var values = try await prepare(data, mode: .update, publishing: publish, locale: locale, documentId: documentId)
            values.append(("updatedAt", .timestamp(service.clock.now())))
            try await entities.update(.equals("id", .int(id)), set: values)
            if hasDraftAndPublish && options.status == .published {
                return try await publishVersion(documentId: documentId, locale: locale, fields: options.fields)
            }
            return try await read(id: id, fields: options.fields)
        }
    }

    /// Deletes every version of a document in the locale (or every locale with `.all`).
    /// Returns the number of rows deleted; zero when the document does not exist.
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
            try await entities.delete(target)
        }
    }

    /// Replaces the published version of a document's locale with a copy of its draft.
    func publishVersion(documentId: String, locale: String?, fields: [String]?) async throws -> Document {
        var base = Filter.equals("documentId", .string(documentId))
        if let locale { base = base.and(.equals("locale", .string(locale))) }
        let drafts = try await entities.findMany(EntityQuery(filter: base.and(.field("publishedAt", .operator(.null, .bool(true))))))
        guard let draft = drafts.first else { throw NotFoundError("Document not found") }
        try await entities.delete(base.and(.field("publishedAt", .operator(.notNull, .bool(true)))))
        var row: [(String, DatabaseValue)] = []
        for field in model.columnFields where field.name != "id" {
            let value = field.name == "publishedAt" ? .string(service.clock.now().iso8601) : (draft[field.name] ?? .null)
            row.append((field.name, try entities.encode(value, field: field.name)))
        }
        let id = try await entities.insert(row)
        return try await read(id: id, fields: fields)
    }

    func read(id: Int64, fields: [String]?) async throws -> Document {
        guard let document = try await entities.findOne(EntityQuery(filter: .equals("id", .int(id)), fields: fields)) else {
            throw NotFoundError("Document not found")
        }
        return document
    }

    /// Validates `data` and converts it to column values (hashing passwords, checking uniqueness).
    func prepare(_ data: JSONObject, mode: EntryValidator.Mode, publishing: Bool, locale: String?, documentId: String?) async throws -> [(String, DatabaseValue)] {
        let validator = EntryValidator(attributes: contentType.attributes, mode: mode, isDraft: !publishing)
        try validator.checkKeys(data)
        for key in data.keys {
            if let attribute = contentType.attribute(named: key), !attribute.kind.isScalar {
                throw ValidationError("Writing \(attribute.kind.typeName) attributes is not supported yet (\(key))",
                                      details: .object(["key": .string(key), "source": "body"]))
            }
        }
        let values = try validator.validate(data)
        if publishing {
            try await checkUnique(values, locale: locale, excluding: documentId)
        }
        var row: [(String, DatabaseValue)] = []
        for (name, value) in values {
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
