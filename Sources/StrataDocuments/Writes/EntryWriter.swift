import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

/// Writes the relations, media and components of validated entry values onto a stored row.
struct EntryWriter {
    let service: DocumentService
    let resolver: RelationResolver

    var database: Database { service.database }

    /// Writes every non-scalar value of `values` for row `rowID` of `repository`'s model.
    func writeDependents(_ values: EntryValues, repository: EntityRepository, rowID: Int64, path: [String]) async throws {
        let model = repository.model
        for (name, input) in values.relations {
            guard let field = model.field(name) else { continue }
            let fieldPath = (path + [name]).joined(separator: ".")
            let target: Model?
            switch field.storage {
            case .joinTable(_, let uid, _, _), .joinColumn(_, let uid): target = database.metadata.model(uid)
            case .media: target = database.metadata.model(uploadFileUID)
            default: target = nil
            }
            guard let target else {
                throw ValidationError("\(fieldPath) cannot be written: its target is not available", details: .object(["key": .string(fieldPath), "source": "body"]))
            }
            let change = try await resolver.resolve(input, target: target, path: fieldPath)
            do {
                try await repository.applyRelation(change, field: name, ownerID: rowID)
            } catch let error as InvalidRelationError {
                throw ValidationError(error.description, details: .object(["key": .string(fieldPath), "source": "body"]))
            }
        }
        for (name, entries) in values.components {
            guard let field = model.field(name), case .components(let joinTable, _, _, _) = field.storage else { continue }
            let existing = try await repository.componentLinks(joinTable, field: name, ownerID: rowID)
            var links: [(id: Int64, type: UID)] = []
            for (index, entry) in entries.enumerated() {
                guard let component = database.query(entry.uid) else { continue }
                let entryPath = path + [name] + (entries.count > 1 || field.isRepeatable ? [String(index)] : [])
                var row = try entry.values.scalars.map { (name: String, value: JSONValue) in (name, try component.encode(value, field: name)) }
                let componentID: Int64
                if let id = entry.id {
                    guard existing.contains(where: { $0.id == id && $0.type == entry.uid }) else {
                        throw ValidationError("Some of the provided components in \(name) are not related to the entity",
                                              details: .object(["key": .string(name), "source": "body"]))
                    }
                    componentID = id
                    if !row.isEmpty { try await component.update(.equals("id", .int(id)), set: row) }
                } else {
                    if row.isEmpty { row = [] }
                    componentID = try await component.insert(row)
                }
                try await writeDependents(entry.values, repository: component, rowID: componentID, path: entryPath)
                links.append((componentID, entry.uid))
            }
            try await repository.replaceComponents(field: name, ownerID: rowID, links: links)
        }
    }
}

extension Field {
    var isRepeatable: Bool {
        if case .components(_, _, let repeatable, _) = storage { return repeatable }
        return false
    }
}
