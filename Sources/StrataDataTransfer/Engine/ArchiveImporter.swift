import Foundation
import SQLKit
import StrataCore
import StrataUpload
import StrataDatabase
import StrataSchema
import StrataSQL

/// `strata import`: restores a Strapi data file into the local project.
///
/// Unlike Strapi, the whole restore is one database transaction, and uploads are staged (see
/// ``UploadsStaging``): when anything fails — wrong key, corrupt or truncated archive, a
/// constraint, a full disk, a killed process — the previous data and files are left intact.
public struct ArchiveImporter: Sendable {
    public let environment: TransferEnvironment
    /// The largest asset and JSONL line accepted.
    public var limits = ImportLimits()

    public init(environment: TransferEnvironment) {
        self.environment = environment
    }

    /// Decides whether to go on despite schema differences (the CLI asks, `--force` says yes).
    public typealias SchemaDifferenceHandler = @Sendable ([SchemaDifference]) async throws -> Bool

    public func `import`(
        from path: String, key: String?, selection: TransferSelection = .all,
        onSchemaDifferences: SchemaDifferenceHandler = { _ in false },
        progress: @escaping @Sendable (TransferProgress) -> Void = { _ in }
    ) async throws -> TransferSummary {
        let session = try RestoreSession(
            environment: environment, reader: try ArchiveReader(path: path, key: key), selection: selection, limits: limits, progress: progress
        )
        try await session.readSchemas()
        let differences = SchemaDiff.strict(source: session.sourceSchemas, destination: destinationSchemas())
        if !differences.isEmpty {
            guard try await onSchemaDifferences(differences) else {
                throw TransferError("Unresolved differences in schema")
            }
        }
        return try await session.restore()
    }

    func destinationSchemas() -> [String: JSONObject] {
        var schemas: [String: JSONObject] = [:]
        for schema in NormalizedSchema.all(environment.registry) {
            if let uid = schema["uid"]?.stringValue { schemas[uid] = schema }
        }
        return schemas
    }
}

/// The state of one import. Used from a single task, in archive order.
final class RestoreSession: @unchecked Sendable {
    let environment: TransferEnvironment
    let reader: ArchiveReader
    let selection: TransferSelection
    let limits: ImportLimits
    let progress: @Sendable (TransferProgress) -> Void
    var sourceSchemas: [String: JSONObject] = [:]
    var summary = TransferSummary()
    /// `type → (source id → new id)` for content types and components.
    var mapping: [String: IDMapping] = [:]
    var pendingEntry: TarEntry?
    var sidecars: [String: JSONObject] = [:]
    var configuration: [JSONObject] = []
    /// The archive's webhooks, stored after the wipe.
    var webhooks: [Webhook] = []
    var sawMetadata = false
    var nextPosition: [String: Int64] = [:]
    var linkEndpoints: [UID: Bool] = [:]
    var staging: (any AssetDestination)?
    /// The archive ended while schemas were read (it holds nothing else).
    var sawEnd = false
    lazy var inserter = BatchInserter(client: database.client)

    var database: Database { environment.database }
    var metadata: StorageMetadata { database.metadata }

    init(
        environment: TransferEnvironment, reader: ArchiveReader, selection: TransferSelection, limits: ImportLimits,
        progress: @escaping @Sendable (TransferProgress) -> Void
    ) throws {
        self.environment = environment
        self.reader = reader
        self.selection = selection
        self.limits = limits
        self.progress = progress
    }

    /// Reads the `schemas/` entries, which Strapi always writes first.
    func readSchemas() async throws {
        while let entry = try reader.next() {
            guard Self.stage(of: entry) == "schemas" else {
                pendingEntry = entry
                return
            }
            try await reader.forEachRecord(entry, maxLineSize: limits.maxLineSize) { record in
                guard let schema = record.objectValue, let uid = schema["uid"]?.stringValue else {
                    throw ArchiveError.invalidRecord(path: entry.path, message: "a schema record has no uid")
                }
                sourceSchemas[uid] = schema
                summary.schemas.add(schema["modelType"]?.stringValue ?? "", bytes: Int64(JSONWriter.serialize(record).count))
            }
        }
        pendingEntry = nil
        sawEnd = true
    }

    func restore() async throws -> TransferSummary {
        let staging: any AssetDestination
        if let provider = environment.uploadProvider, provider.name != "local" {
            staging = try await ProviderAssetStaging(provider: provider, database: database, logger: environment.logger)
        } else {
            try FileManager.default.createDirectory(at: environment.uploadsDirectory, withIntermediateDirectories: true)
            staging = try UploadsStaging(uploads: environment.uploadsDirectory)
        }
        self.staging = staging
        do {
            try await database.transaction { [self] in
                try await wipe()
                try await readRemainingEntries()
                try await inserter.finish()
                guard sawMetadata else { throw ArchiveError.notAnArchive(reader.path) }
                // Like `strapi import`, excluded data types are emptied too (the seed's warning).
                try await CoreStore(client: database.client).replaceAll(with: configuration)
                try await WebhookStore(client: database.client).replaceAll(with: webhooks)
                try self.staging?.placeNewFiles()
            }
        } catch {
            await staging.rollback()
            throw error
        }
        // The previous uploads go only once the new data is committed.
        await staging.commit()
        // Every table changed size: let the query planner know before the first request.
        try? await database.refreshStatistics(afterBulkWrite: true)
        return summary
    }

    // MARK: Stages

    static func stage(of entry: TarEntry) -> String? {
        let parts = entry.path.split(separator: "/")
        if parts.count == 1 { return parts[0] == "metadata.json" ? "metadata" : nil }
        if parts.count == 2 { return String(parts[0]) }
        if parts.count == 3, parts[0] == "assets" { return "assets/\(parts[1])" }
        return nil
    }

    func readRemainingEntries() async throws {
        var entry = pendingEntry
        if entry == nil && !sawEnd { entry = try reader.next() }
        while let current = entry {
            try await handle(current)
            entry = try reader.next()
        }
    }

    func handle(_ entry: TarEntry) async throws {
        switch Self.stage(of: entry) {
        case "metadata":
            let bytes = try reader.readAll(entry, limit: ArchiveReader.maxSidecarSize)
            guard (try? JSONParser.parse(bytes))?.objectValue != nil else { throw ArchiveError.notAnArchive(reader.path) }
            sawMetadata = true
        case "schemas":
            throw ArchiveError.invalidRecord(path: entry.path, message: "schemas must come before every other stage")
        case "entities":
            guard selection.content else { return }
            try await reader.forEachRecord(entry, maxLineSize: limits.maxLineSize) { try await self.restoreEntity($0, path: entry.path) }
            try await inserter.flushAll()
            progress(TransferProgress(stage: "entities", count: summary.entities.count, bytes: summary.entities.bytes))
        case "links":
            guard selection.content else { return }
            try await reader.forEachRecord(entry, maxLineSize: limits.maxLineSize) { try await self.restoreLink($0, path: entry.path) }
            try await inserter.flushAll()
            progress(TransferProgress(stage: "links", count: summary.links.count, bytes: summary.links.bytes))
        case "configuration":
            guard selection.config else { return }
            try await reader.forEachRecord(entry, maxLineSize: limits.maxLineSize) { record in
                let bytes = Int64(JSONWriter.serialize(record).count)
                switch record["type"]?.stringValue {
                case "core-store":
                    guard let value = record["value"]?.objectValue else {
                        throw ArchiveError.invalidRecord(path: entry.path, message: "a core-store record has no value")
                    }
                    configuration.append(value)
                    summary.configuration.add("core-store", bytes: bytes)
                case "webhook":
                    guard let value = record["value"]?.objectValue, let webhook = Webhook(record: value) else {
                        throw ArchiveError.invalidRecord(path: entry.path, message: "a webhook record has no name or url")
                    }
                    webhooks.append(webhook)
                    summary.configuration.add("webhook", bytes: bytes)
                default:
                    throw ArchiveError.invalidRecord(path: entry.path, message: "unknown configuration type \(record["type"].map(JSONWriter.string) ?? "undefined")")
                }
            }
            progress(TransferProgress(stage: "configuration", count: summary.configuration.count, bytes: summary.configuration.bytes))
        case "assets/metadata":
            guard selection.files else { return }
            let bytes = try reader.readAll(entry, limit: ArchiveReader.maxSidecarSize)
            guard let object = (try? JSONParser.parse(bytes))?.objectValue else {
                throw ArchiveError.invalidRecord(path: entry.path, message: "asset metadata is not a JSON object")
            }
            let name = String(entry.path.split(separator: "/").last!.dropLast(".json".count))
            sidecars[name] = object
        case "assets/uploads":
            guard selection.files else { return }
            try await restoreAsset(entry)
        default:
            // Unknown entries are ignored, as Strapi's reader does.
            return
        }
    }

    // MARK: Wipe

    /// `strapi import` as documented: all existing content is deleted (types excluded from the
    /// import included), except admin users, roles, API and transfer tokens.
    func wipe() async throws {
        var protected: Set<String> = []
        for type in environment.registry.contentTypes where IgnoredContentTypes.contains(type.uid.rawValue) {
            guard let model = metadata.model(type.uid) else { continue }
            protected.insert(model.tableName)
            if let cmps = model.componentJoinTable { protected.insert(cmps.name) }
            for field in model.fields {
                if case .joinTable(let table, _, _, _) = field.storage { protected.insert(table.name) }
            }
        }
        for table in metadata.tables.reversed() where !protected.contains(table.name) && table.name != "strapi_core_store_settings" {
            try await database.client.write(SQLQueryString("DELETE FROM \(ident: table.name)"))
        }
    }
}
