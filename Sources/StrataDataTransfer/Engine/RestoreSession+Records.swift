import Foundation
import SQLKit
import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL

extension RestoreSession {
    // MARK: Entities

    func restoreEntity(_ record: JSONValue, path: String) async throws {
        guard let type = record["type"]?.stringValue, let sourceID = record["id"]?.intValue, let data = record["data"]?.objectValue else {
            throw ArchiveError.invalidRecord(path: path, message: "an entity record needs type, id and data")
        }
        let bytes = Int64(JSONWriter.serialize(record).count)
        guard !IgnoredContentTypes.contains(type), let uid = try? UID(type), let model = metadata.model(uid), model.isContentType,
              let repository = database.query(uid)
        else {
            summary.skipped.append("entity \(type) \(sourceID): no such content type in this project")
            return
        }
        let newID = try await insertRow(repository, data: data, path: path)
        mapping[type, default: IDMapping()].set(sourceID, newID)
        summary.entities.add(type, bytes: bytes)
    }

    /// Queues a row from archive data (dropping attributes the destination lacks), then its
    /// components, recursively; returns the row's new id.
    func insertRow(_ repository: EntityRepository, data: JSONObject, path: String) async throws -> Int64 {
        let model = repository.model
        let id = try await inserter.allocateID(model.tableName)
        var columns = ["id"]
        var values: [DatabaseValue] = [.int(id)]
        for (name, value) in data {
            guard name != "id", let column = model.field(name)?.column else { continue }
            do {
                values.append(try repository.encode(value, field: name))
            } catch {
                throw ArchiveError.invalidRecord(path: path, message: "\(model.uid).\(name): \(error)")
            }
            columns.append(column.name)
        }
        try await inserter.insert(into: model.tableName, tier: .rows, columns: columns, values: values)
        for field in model.fields {
            guard case .components(let joinTable, let uids, _, let dynamicZone) = field.storage, let value = data[field.name], !value.isNull else { continue }
            let items = value.arrayValue ?? [value]
            var order = 0
            for item in items {
                guard let object = item.objectValue else { continue }
                let componentType = dynamicZone ? object["__component"]?.stringValue.flatMap { try? UID($0) } : uids.first
                guard let componentType, uids.contains(componentType), let component = database.query(componentType) else {
                    summary.skipped.append("component \(object["__component"]?.stringValue ?? "?") in \(model.uid).\(field.name): not allowed in this project")
                    continue
                }
                let componentID = try await insertRow(component, data: object, path: path)
                // Only components that links can name (they hold relations or media) need their ids mapped.
                if let sourceID = object["id"]?.intValue, isLinkEndpoint(component.model) {
                    mapping[componentType.rawValue, default: IDMapping()].set(sourceID, componentID)
                }
                order += 1
                try await inserter.insert(
                    into: joinTable.name, tier: .links,
                    columns: [joinTable.entityColumn, joinTable.componentColumn, joinTable.typeColumn, joinTable.fieldColumn, joinTable.orderColumn],
                    values: [.int(id), .int(componentID), .text(componentType.rawValue), .text(field.name), .double(Double(order))]
                )
            }
        }
        return id
    }

    func isLinkEndpoint(_ model: Model) -> Bool {
        if let known = linkEndpoints[model.uid] { return known }
        let result = model.fields.contains { field in
            switch field.storage {
            case .joinColumn, .joinTable, .media, .morph: return true
            default: return false
            }
        }
        linkEndpoints[model.uid] = result
        return result
    }

    // MARK: Links

    func restoreLink(_ record: JSONValue, path: String) async throws {
        guard let left = record["left"]?.objectValue, let right = record["right"]?.objectValue,
              let leftType = left["type"]?.stringValue, let field = left["field"]?.stringValue,
              let rightType = right["type"]?.stringValue
        else {
            throw ArchiveError.invalidRecord(path: path, message: "a link record needs left.type, left.field and right.type")
        }
        let bytes = Int64(JSONWriter.serialize(record).count)
        let kind = record["kind"]?.stringValue ?? ""
        if field == "localizations" && right["ref"]?.stringValue != nil {
            // v5 i18n links point at the row's own documentId, which the entity already carries.
            summary.links.add(kind, bytes: bytes)
            return
        }
        guard !IgnoredContentTypes.contains(leftType), !IgnoredContentTypes.contains(rightType),
              let leftUID = try? UID(leftType), let model = metadata.model(leftUID), let storage = model.field(field)?.storage
        else {
            summary.skipped.append("link \(leftType).\(field) -> \(rightType): unknown in this project")
            return
        }
        guard let leftRef = mapped(leftType, left["ref"]), let rightRef = mapped(rightType, right["ref"]) else {
            summary.skipped.append("link \(leftType):\(left["ref"].map(JSONWriter.string) ?? "?") -> \(rightType):\(right["ref"].map(JSONWriter.string) ?? "?"): a row it references is not in the archive")
            return
        }
        let client = database.client
        switch storage {
        case .joinColumn(let column, _):
            // Rows are already written: entity batches are flushed at the end of each entities file.
            try await client.write(SQLQueryString("UPDATE \(ident: model.tableName) SET \(ident: column) = \(bind: DatabaseValue.int(rightRef)) WHERE \(ident: "id") = \(bind: DatabaseValue.int(leftRef))"))
        case .joinTable(let table, _, _, true):
            var columns = [table.joinColumn, table.inverseJoinColumn]
            var values: [DatabaseValue] = [.int(leftRef), .int(rightRef)]
            if let order = table.orderColumn {
                columns.append(order)
                values.append(position(left["pos"], key: "\(table.name)#\(leftRef)"))
            }
            if let inverse = table.inverseOrderColumn {
                columns.append(inverse)
                values.append(position(right["pos"], key: "\(table.name)~\(rightRef)"))
            }
            try await inserter.insert(into: table.name, tier: .links, columns: columns, values: values)
        case .morph(let table, _):
            try await inserter.insert(
                into: table.name, tier: .links,
                columns: [table.joinColumn, table.idColumn, table.typeColumn, table.fieldColumn, table.orderColumn],
                values: [
                    .int(leftRef), .int(rightRef), .text(rightType),
                    right["field"]?.stringValue.map(DatabaseValue.text) ?? .null,
                    position(right["pos"], key: "\(table.name)#\(rightType)#\(rightRef)#\(right["field"]?.stringValue ?? "")"),
                ]
            )
        default:
            summary.skipped.append("link \(leftType).\(field): not an owning relation in this project")
            return
        }
        summary.links.add(kind, bytes: bytes)
    }

    /// A source row id translated to the new id; `nil` when the row was not imported.
    func mapped(_ type: String, _ ref: JSONValue?) -> Int64? {
        guard let ref = ref?.intValue else { return nil }
        return mapping[type]?[ref]
    }

    /// The archive's order value, or the next one for this owner when the link has none.
    func position(_ value: JSONValue?, key: String) -> DatabaseValue {
        let next = (nextPosition[key] ?? 0) + 1
        nextPosition[key] = next
        if let double = value?.doubleValue { return .double(double) }
        return .double(Double(next))
    }

    // MARK: Assets

    func restoreAsset(_ entry: TarEntry) async throws {
        guard let staging else { return }
        let name = String(entry.path.split(separator: "/").last!)
        guard !name.hasPrefix(".") else {
            throw ArchiveError.unsafeEntry(path: entry.path, reason: "hidden file names are not allowed in uploads")
        }
        // The tar header gives the size before anything is written (the reader never returns
        // more); the count below holds the limit whatever a layer does.
        let refusal = ArchiveError.limitExceeded(path: entry.path, limit: .assetSize, bytes: limits.maxAssetSize)
        guard entry.size <= limits.maxAssetSize else { throw refusal }
        let handle = try staging.stagedFile(name)
        do {
            var written: Int64 = 0
            while true {
                let chunk = try reader.read(upTo: 1 << 20)
                if chunk.isEmpty { break }
                written += Int64(chunk.count)
                guard written <= limits.maxAssetSize else { throw refusal }
                try handle.write(contentsOf: chunk)
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let metadata = sidecars.removeValue(forKey: name)
        let location = try await staging.place(name, mime: metadata?["mime"]?.stringValue)
        if metadata == nil {
            summary.skipped.append("asset \(name): no metadata in the archive; file copied, not linked to a file row")
        }
        if let metadata, selection.content {
            try await relinkFileRow(name: name, metadata: metadata, url: location.url, provider: location.provider)
        }
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!) : ""
        summary.assets.add(ext, bytes: entry.size)
        progress(TransferProgress(stage: "assets", count: summary.assets.count, bytes: summary.assets.bytes))
    }

    /// Points the imported file row (or its format) at the copy this import stored, when its URL differs.
    func relinkFileRow(name: String, metadata: JSONObject, url location: String, provider: String) async throws {
        guard let sourceID = metadata["id"]?.intValue, let files = database.query(uploadFileUID) else { return }
        guard let id = mapping[uploadFileUID.rawValue]?[sourceID] else {
            throw TransferError("File ID not found for ID: \(sourceID)")
        }
        let url = JSONValue.string(location)
        guard let row = try await files.findOne(EntityQuery(filter: .field("id", .operator(.eq, .int(id))), fields: ["url", "provider", "formats"])) else { return }
        if let format = metadata["type"]?.stringValue {
            guard var formats = row["formats"]?.objectValue, var object = formats[format]?.objectValue, object["url"] != url else { return }
            object["url"] = url
            formats[format] = .object(object)
            try await files.update(.field("id", .operator(.eq, .int(id))), set: [("formats", try files.encode(.object(formats), field: "formats"))])
        } else if row["url"] != url || row["provider"] != .string(provider) {
            try await files.update(.field("id", .operator(.eq, .int(id))), set: [("url", .text(location)), ("provider", .text(provider))])
        }
    }
}
