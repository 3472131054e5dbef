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

    /// Components, dynamic zones and media shared by every locale of a document.
    var nonLocalizedStructures: [Attribute] {
        guard contentType.localized else { return [] }
        return contentType.userAttributes.filter { attribute in
            guard !contentType.isLocalized(attribute) else { return false }
            switch attribute.kind {
            case .component, .dynamiczone, .media: return true
            default: return false
            }
        }
    }

    /// Copies the shared values of row `sourceID` — scalars, components (cloned) and media — to
    /// the drafts of the document's other locales (every row without Draft & Publish), as
    /// Strapi's i18n plugin does on write. Non-localized relations are not synced.
    func syncNonLocalizedValues(documentId: String, from sourceID: Int64) async throws {
        let names = nonLocalizedScalars.map(\.name)
        let structures = nonLocalizedStructures.map(\.name)
        guard !names.isEmpty || !structures.isEmpty else { return }
        var others = Filter.equals("documentId", .string(documentId)).and(.field("id", .operator(.ne, .int(sourceID))))
        if hasDraftAndPublish { others = others.and(.field("publishedAt", .operator(.null, .bool(true)))) }
        if !names.isEmpty, let source = try await entities.findOne(EntityQuery(filter: .equals("id", .int(sourceID)), fields: names)) {
            var values: [(String, DatabaseValue)] = []
            for name in names { values.append((name, try entities.encode(source[name] ?? .null, field: name))) }
            try await entities.update(others, set: values)
        }
        if !structures.isEmpty {
            let identity: RelatedRowMapping = { _, ids in Dictionary(uniqueKeysWithValues: Set(ids).map { ($0, $0) }) }
            for target in try await entities.ids(others) {
                for name in structures {
                    try await entities.copyField(name, from: sourceID, to: target, mapping: identity)
                }
            }
        }
    }
}
