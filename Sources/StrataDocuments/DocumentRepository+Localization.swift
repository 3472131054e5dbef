import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

extension DocumentRepository {
    /// Scalar attributes that are shared by every locale of a document (`pluginOptions.i18n.localized: false`).
    var nonLocalizedScalars: [Attribute] {
        guard contentType.localized else { return [] }
        return contentType.userAttributes.filter { !contentType.isLocalized($0) && $0.kind.isScalar && $0.kind != .password }
    }

    /// The shared values of an existing version of the document, to seed a new locale version.
    func nonLocalizedValues(documentId: String) async throws -> JSONObject {
        let names = nonLocalizedScalars.map(\.name)
        guard !names.isEmpty else { return [:] }
        var filter = Filter.equals("documentId", .string(documentId))
        if hasDraftAndPublish { filter = filter.and(.field("publishedAt", .operator(.null, .bool(true)))) }
        guard let source = try await entities.findOne(EntityQuery(filter: filter, fields: names)) else { return [:] }
        var values = JSONObject()
        for name in names { if let value = source[name] { values[name] = value } }
        return values
    }

    /// Copies the shared values of row `sourceID` to the drafts of the document's other locales
    /// (every row without Draft & Publish), as Strapi's i18n plugin does on write.
    func syncNonLocalizedValues(documentId: String, from sourceID: Int64) async throws {
        let names = nonLocalizedScalars.map(\.name)
        guard !names.isEmpty, let source = try await entities.findOne(EntityQuery(filter: .equals("id", .int(sourceID)), fields: names)) else { return }
        var values: [(String, DatabaseValue)] = []
        for name in names { values.append((name, try entities.encode(source[name] ?? .null, field: name))) }
        var others = Filter.equals("documentId", .string(documentId)).and(.field("id", .operator(.ne, .int(sourceID))))
        if hasDraftAndPublish { others = others.and(.field("publishedAt", .operator(.null, .bool(true)))) }
        try await entities.update(others, set: values)
    }
}
