public import Foundation
import SQLKit
import StrataCore
public import StrataDatabase
public import Logging
public import StrataUpload
import StrataSchema
import StrataSQL

/// Everything an export or import needs to know about the local project.
public struct TransferEnvironment: Sendable {
    public let database: Database
    /// `public/uploads` of the project (the local upload provider's folder).
    public let uploadsDirectory: URL
    /// Written to `metadata.json` (`strapi.version`).
    public let strapiVersion: String?
    /// Where imported assets go when it is not the local folder (`aws-s3`); `nil` for local.
    public let uploadProvider: (any UploadProvider)?
    public let logger: Logger

    public init(database: Database, uploadsDirectory: URL, strapiVersion: String? = nil, uploadProvider: (any UploadProvider)? = nil,
                logger: Logger = Logger(label: "strata.transfer")) {
        self.database = database
        self.uploadsDirectory = uploadsDirectory
        self.strapiVersion = strapiVersion
        self.uploadProvider = uploadProvider
        self.logger = logger
    }

    var registry: SchemaRegistry { database.metadata.registry }

    /// Content types whose entities are transferred, in registry order.
    var transferableModels: [Model] {
        registry.contentTypes.compactMap { type in
            IgnoredContentTypes.contains(type.uid.rawValue) ? nil : database.metadata.model(type.uid)
        }
    }
}

/// `strata export`: reads the local database and uploads folder and writes a Strapi data file.
public struct ArchiveExporter: Sendable {
    public let environment: TransferEnvironment
    public var pageSize = 500
    /// Size at which a stage's JSONL file is split (Strapi's default 256 MB).
    public var maxJSONLSize = ArchiveWriter.defaultMaxJSONLSize

    public init(environment: TransferEnvironment) {
        self.environment = environment
    }

    var database: Database { environment.database }

    public func export(
        to path: String, format: ArchiveFormat, key: String?, selection: TransferSelection = .all,
        now: Date = Date(), progress: @Sendable (TransferProgress) -> Void = { _ in }
    ) async throws -> TransferSummary {
        var summary = TransferSummary()
        let writer = try ArchiveWriter(path: path, format: format, key: key, maxJSONLSize: maxJSONLSize, now: now)
        do {
            for schema in NormalizedSchema.all(environment.registry) {
                let bytes = Int64(JSONWriter.serialize(.object(schema)).count)
                try writer.append(.object(schema), stage: "schemas")
                summary.schemas.add(schema["modelType"]?.stringValue ?? "", bytes: bytes)
            }
            progress(TransferProgress(stage: "schemas", count: summary.schemas.count, bytes: summary.schemas.bytes))
            if selection.content {
                try await exportEntities(writer, &summary, progress)
            }
            if selection.files {
                try await exportAssets(writer, &summary, progress)
            }
            if selection.content {
                try await exportLinks(writer, &summary, progress)
            }
            if selection.config {
                for row in try await CoreStore(client: database.client).rows() {
                    let record: JSONValue = ["type": "core-store", "value": .object(row)]
                    try writer.append(record, stage: "configuration")
                    summary.configuration.add("core-store", bytes: Int64(JSONWriter.serialize(record).count))
                }
                // All core-store rows first, then the webhooks, as Strapi writes them.
                for webhook in try await WebhookStore(client: database.client).findMany() {
                    let record: JSONValue = ["type": "webhook", "value": webhook.record]
                    try writer.append(record, stage: "configuration")
                    summary.configuration.add("webhook", bytes: Int64(JSONWriter.serialize(record).count))
                }
                progress(TransferProgress(stage: "configuration", count: summary.configuration.count, bytes: summary.configuration.bytes))
            }
            var metadata = JSONObject()
            metadata.appendUnique("createdAt", .string(Timestamp(millisecondsSince1970: Int64((now.timeIntervalSince1970 * 1000).rounded(.down))).iso8601))
            var strapi = JSONObject()
            if let version = environment.strapiVersion { strapi.appendUnique("version", .string(version)) }
            metadata.appendUnique("strapi", .object(strapi))
            try writer.finish(metadata: .object(metadata))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return summary
    }

    // MARK: Entities

    private func exportEntities(_ writer: ArchiveWriter, _ summary: inout TransferSummary, _ progress: @Sendable (TransferProgress) -> Void) async throws {
        for model in environment.transferableModels {
            guard let repository = database.query(model.uid) else { continue }
            let populate = componentPopulate(model, depth: 0)
            var lastID: Int64 = 0
            while true {
                let rows = try await repository.findMany(EntityQuery(
                    filter: .field("id", .operator(.gt, .int(lastID))), sort: [SortField(["id"])], limit: pageSize, populate: populate))
                for row in rows {
                    guard let id = row["id"]?.intValue else { continue }
                    lastID = id
                    var data = row
                    _ = data.removeValue(forKey: "id")
                    let record: JSONValue = ["type": .string(model.uid.rawValue), "id": .int(id), "data": .object(data)]
                    try writer.append(record, stage: "entities")
                    summary.entities.add(model.uid.rawValue, bytes: Int64(JSONWriter.serialize(record).count))
                }
                progress(TransferProgress(stage: "entities", count: summary.entities.count, bytes: summary.entities.bytes))
                if rows.count < pageSize { break }
            }
        }
    }

    /// Components and dynamic zones, recursively; relations and media travel as links.
    func componentPopulate(_ model: Model, depth: Int) -> Populate {
        var populate = Populate()
        guard depth < 20 else { return populate }
        for field in model.fields {
            guard case .components(_, let uids, _, let dynamicZone) = field.storage else { continue }
            if dynamicZone {
                var on: [UID: PopulateOptions] = [:]
                for uid in uids {
                    if let component = database.metadata.model(uid) { on[uid] = PopulateOptions(populate: componentPopulate(component, depth: depth + 1)) }
                }
                populate.set(field.name, PopulateOptions(on: on))
            } else if let uid = uids.first, let component = database.metadata.model(uid) {
                populate.set(field.name, PopulateOptions(populate: componentPopulate(component, depth: depth + 1)))
            }
        }
        return populate
    }

    // MARK: Links

    private func exportLinks(_ writer: ArchiveWriter, _ summary: inout TransferSummary, _ progress: @Sendable (TransferProgress) -> Void) async throws {
        func emit(_ record: JSONValue) throws {
            try writer.append(record, stage: "links")
            summary.links.add(record["kind"]?.stringValue ?? "", bytes: Int64(JSONWriter.serialize(record).count))
        }
        let models = environment.transferableModels + environment.registry.components.compactMap { database.metadata.model($0.uid) }
        for model in models {
            for field in model.fields {
                guard let attribute = field.attribute, case .relation(let relation) = attribute.kind else { continue }
                switch field.storage {
                case .joinColumn(let column, let target):
                    guard isTransferable(target) else { continue }
                    try await forEachRow(model.tableName, [SQLIdentifier("id"), SQLIdentifier(column)], where: SQLQueryString("\(ident: column) IS NOT NULL")) { row in
                        guard let ref = row[0].int64, let targetRef = row[1].int64 else { return }
                        try emit(Self.link(relation, owner: model.uid, target: target, left: [("type", .string(model.uid.rawValue)), ("ref", .int(ref)), ("field", .string(field.name))], right: [("type", .string(target.rawValue)), ("ref", .int(targetRef))]))
                    }
                case .joinTable(let table, let target, _, true):
                    guard isTransferable(target) else { continue }
                    let order: [any SQLExpression] = [table.orderColumn, table.inverseOrderColumn].map { (column: String?) -> any SQLExpression in
                        if let column { return SQLIdentifier(column) } else { return SQLRaw("NULL") }
                    }
                    try await forEachRow(table.name, [SQLIdentifier(table.joinColumn), SQLIdentifier(table.inverseJoinColumn), order[0], order[1]]) { row in
                        guard let ref = row[0].int64, let targetRef = row[1].int64 else { return }
                        var left: [(String, JSONValue)] = [("type", .string(model.uid.rawValue)), ("field", .string(field.name)), ("ref", .int(ref))]
                        if let pos = Self.number(row[2]) { left.append(("pos", pos)) }
                        var right: [(String, JSONValue)] = [("type", .string(target.rawValue))]
                        if let inverse = relation.inversedBy { right.append(("field", .string(inverse))) }
                        right.append(("ref", .int(targetRef)))
                        if let pos = Self.number(row[3]) { right.append(("pos", pos)) }
                        try emit(Self.link(relation, owner: model.uid, target: target, left: left, right: right))
                    }
                case .morph(let table, _) where model.uid == uploadFileUID:
                    try await forEachRow(table.name, [table.joinColumn, table.idColumn, table.typeColumn, table.fieldColumn, table.orderColumn].map { SQLIdentifier($0) }) { row in
                        guard let ref = row[0].int64, let targetRef = row[1].int64, let type = row[2].text else { return }
                        var right: [(String, JSONValue)] = [("ref", .int(targetRef))]
                        if let pos = Self.number(row[4]) { right.append(("pos", pos)) }
                        right.append(("type", .string(type)))
                        if let name = row[3].text { right.append(("field", .string(name))) }
                        try emit(["kind": "relation.morph", "relation": .string(relation.kind.rawValue),
                                  "left": .object(JSONObject([("type", .string(model.uid.rawValue)), ("field", .string(field.name)), ("ref", .int(ref))])),
                                  "right": .object(JSONObject(right))])
                    }
                case .localizations:
                    // v5 links every row to its own documentId; importers ignore them, Strapi writes them.
                    try await forEachRow(model.tableName, [SQLIdentifier("id"), SQLIdentifier("document_id")]) { row in
                        guard let ref = row[0].int64, let documentId = row[1].text else { return }
                        try emit(["kind": "relation.circular", "relation": "oneToMany",
                                  "left": .object(JSONObject([("type", .string(model.uid.rawValue)), ("ref", .int(ref)), ("field", "localizations")])),
                                  "right": .object(JSONObject([("type", .string(model.uid.rawValue)), ("ref", .string(documentId))]))])
                    }
                default:
                    continue
                }
            }
            progress(TransferProgress(stage: "links", count: summary.links.count, bytes: summary.links.bytes))
        }
    }

    static func link(_ relation: Relation, owner: UID, target: UID, left: [(String, JSONValue)], right: [(String, JSONValue)]) -> JSONValue {
        ["kind": .string(owner == target ? "relation.circular" : "relation.basic"), "relation": .string(relation.kind.rawValue),
         "left": .object(JSONObject(left)), "right": .object(JSONObject(right))]
    }

    static func number(_ value: DatabaseValue) -> JSONValue? {
        switch value {
        case .int(let int): return .int(int)
        case .double(let double): return double.rounded() == double && abs(double) < 1e15 ? .int(Int64(double)) : .double(double)
        default: return nil
        }
    }

    func isTransferable(_ uid: UID) -> Bool {
        !IgnoredContentTypes.contains(uid.rawValue) && database.metadata.model(uid) != nil
    }

    /// Streams `columns` of a table's rows in id order, a page at a time (keyset pagination, so
    /// the cost stays linear however large link tables grow).
    func forEachRow(_ table: String, _ columns: [any SQLExpression], where condition: (any SQLExpression)? = nil, _ body: (DatabaseRow) throws -> Void) async throws {
        var lastID: Int64 = 0
        let limit = pageSize * 4
        while true {
            var select = SQLSelect()
            select.columns = columns + [SQLIdentifier("id")]
            select.tables = [SQLIdentifier(table)]
            var predicate: any SQLExpression = SQLComparison(SQLIdentifier("id"), .greaterThan, SQLBind(DatabaseValue.int(lastID)))
            if let condition { predicate = SQLComparison(predicate, .and, SQLGroupExpression(condition)) }
            select.predicate = predicate
            select.orderBy = [SQLOrderBy(expression: SQLIdentifier("id"), direction: SQLDirection.ascending)]
            select.limit = limit
            let rows = try await database.client.query(select)
            for row in rows { try body(row) }
            guard rows.count == limit, let last = rows.last?[columns.count].int64 else { break }
            lastID = last
        }
    }

    // MARK: Assets

    private func exportAssets(_ writer: ArchiveWriter, _ summary: inout TransferSummary, _ progress: @Sendable (TransferProgress) -> Void) async throws {
        guard let repository = database.query(uploadFileUID) else { return }
        var lastID: Int64 = 0
        while true {
            let rows = try await repository.findMany(EntityQuery(filter: .field("id", .operator(.gt, .int(lastID))), sort: [SortField(["id"])], limit: pageSize))
            for row in rows {
                lastID = row["id"]?.intValue ?? lastID
                guard row["provider"]?.stringValue ?? "local" == "local" else { continue }
                if let name = localFileName(row["url"]) {
                    try addAsset(writer, name: name, metadata: row, &summary)
                }
                for (type, format) in row["formats"]?.objectValue ?? JSONObject() {
                    guard var metadata = format.objectValue, let name = localFileName(metadata["url"]) else { continue }
                    metadata.appendUnique("type", .string(type))
                    metadata.appendUnique("id", row["id"] ?? .null)
                    metadata.appendUnique("mainHash", row["hash"] ?? .null)
                    try addAsset(writer, name: name, metadata: metadata, &summary)
                }
                progress(TransferProgress(stage: "assets", count: summary.assets.count, bytes: summary.assets.bytes))
            }
            if rows.count < pageSize { break }
        }
    }

    private func addAsset(_ writer: ArchiveWriter, name: String, metadata: JSONObject, _ summary: inout TransferSummary) throws {
        let url = environment.uploadsDirectory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            summary.skipped.append("asset \(name): file missing from \(environment.uploadsDirectory.path)")
            return
        }
        let before = writer.uncompressedBytes
        try writer.addAsset(fileName: name, metadata: metadata, contentsOf: url)
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!) : ""
        summary.assets.add(ext, bytes: writer.uncompressedBytes - before)
    }

    /// `"/uploads/x.jpg"` → `"x.jpg"`; anything else (remote providers) is not exported.
    func localFileName(_ url: JSONValue?) -> String? {
        guard let url = url?.stringValue, url.hasPrefix("/uploads/") else { return nil }
        let name = String(url.dropFirst("/uploads/".count))
        guard !name.isEmpty, !name.contains("/"), name != "..", name != "." else { return nil }
        return name
    }
}
