import Foundation
public import Logging
public import StrataCore
import StrataDatabase
public import StrataDocuments
import StrataSchema
import StrataSQL

/// The Media Library: stores uploaded files through the configured provider, records them as
/// `plugin::upload.file` documents (with Strapi's `formats` for images) and links them to entries.
///
/// Every write goes through the Document Service. Provider objects and database rows never
/// disagree silently: an upload whose database write fails removes what it stored, and a delete
/// whose provider call fails keeps the row and reports the failure.
public final class UploadService: Sendable {
    public static let fileUID = uploadFileUID
    public static let folderUID = try! UID("plugin::upload.folder")
    static let settingsKey = "plugin_upload_settings"
    static let apiFolderKey = "plugin_upload_api-folder"

    public let documents: DocumentService
    public let provider: any UploadProvider
    public let images: any ImageProcessor
    public let configuration: UploadConfiguration
    public let logger: Logger
    let store: CoreStore
    let sanitizer: OutputSanitizer
    let folderLock = AsyncLock()
    private let subscribers = LockedValue<[@Sendable (MediaEvent) async -> Void]>([])

    public init(documents: DocumentService, provider: any UploadProvider, images: any ImageProcessor = VipsImageProcessor(),
                configuration: UploadConfiguration = UploadConfiguration(), privateAttributes: [String] = [], logger: Logger) {
        self.documents = documents
        self.provider = provider
        self.images = images
        self.configuration = configuration
        self.logger = logger
        self.store = CoreStore(client: documents.database.client)
        self.sanitizer = OutputSanitizer(registry: documents.registry, globalPrivateAttributes: privateAttributes)
    }

    /// Creates the Media Library settings Strapi keeps in the core store, if missing.
    public func bootstrap() async throws {
        if try await store.get(Self.settingsKey) == nil {
            try await store.set(Self.settingsKey, UploadSettings().json)
        }
    }

    /// Subscribes to Media Library events; handlers run after the causing write commits.
    public func onEvent(_ handler: @escaping @Sendable (MediaEvent) async -> Void) {
        subscribers.withLock { $0.append(handler) }
    }

    func emit(_ kind: MediaEvent.Kind, _ files: [Document]) async {
        let handlers = subscribers.value
        guard !handlers.isEmpty else { return }
        await documents.database.client.onCommit {
            for file in files {
                for handler in handlers { await handler(MediaEvent(kind: kind, file: file)) }
            }
        }
    }

    /// Releases the provider's connections.
    public func shutdown() async throws {
        try await provider.shutdown()
    }

    public func settings() async throws -> UploadSettings {
        UploadSettings(json: try await store.get(Self.settingsKey))
    }

    /// A file as the API returns it (private fields such as `folderPath` removed); a populated
    /// `related` keeps only the entries of types in `readable`.
    public func sanitize(_ file: Document, readable: OutputSanitizer.Readable? = nil) -> JSONValue {
        .object(sanitizer.sanitize(file, uid: Self.fileUID, readable: readable))
    }

    // MARK: Reading

    public func findMany(_ query: DocumentQuery = DocumentQuery()) async throws -> [Document] {
        try await files.findMany(query)
    }

    public func findOne(id: Int64) async throws -> Document? {
        try await files.findFirst(DocumentQuery(filters: .equals("id", .int(id))))
    }

    var files: DocumentRepository {
        get throws { try documents(Self.fileUID) }
    }

    // MARK: Uploading

    /// Stores each file with its `fileInfo` (by position) in the "API Uploads" folder, optionally
    /// linked to an entry's media field, and returns the created files in order.
    ///
    /// All files are stored before any row is written, and all rows are written in one
    /// transaction: a failure leaves neither rows nor stored objects behind.
    public func upload(_ incoming: [IncomingFile], info: [FileInfo] = [], link: UploadLink? = nil) async throws -> [Document] {
        guard !incoming.isEmpty else { throw ValidationError("Files are empty") }
        for file in incoming { try checkSize(file) }
        var target: LinkTarget?
        if let link { target = try await resolve(link) }
        let folder = try await apiUploadFolder()
        let settings = try await settings()

        var prepared: [PreparedFile] = []
        do {
            for (index, file) in incoming.enumerated() {
                let entry = index < info.count ? info[index] : FileInfo()
                prepared.append(try await store(file, info: entry, settings: settings))
            }
            let rows = prepared
            let linkTarget = target
            return try await documents.database.transaction { [self] in
                var created: [Document] = []
                for file in rows {
                    var data = file.data
                    data["folder"] = .int(folder.id)
                    data["folderPath"] = .string(folder.path)
                    created.append(try await files.create(data: data))
                }
                if let linkTarget {
                    try await connect(created.compactMap { $0["id"]?.intValue }, to: linkTarget)
                }
                await emit(.created, created)
                return created
            }
        } catch {
            await removeStored(prepared.flatMap(\.objects))
            throw error
        }
    }

    /// Replaces the bytes of file `id` (Strapi's `POST /upload?id=`), keeping its hash and name
    /// unless `info` renames it. Old objects are removed only once the row points at the new ones.
    public func replace(id: Int64, with file: IncomingFile, info: FileInfo = FileInfo()) async throws -> Document {
        try checkSize(file)
        guard let existing = try await findOne(id: id), let documentId = existing["documentId"]?.stringValue else {
            throw NotFoundError("file not found")
        }
        let settings = try await settings()
        var entry = info
        if entry.name == nil { entry.name = existing["name"]?.stringValue }
        // Like Strapi, the hash and extension stay, so the file's URL does not change.
        let prepared = try await store(file, info: entry, settings: settings,
                                       keeping: (existing["hash"]?.stringValue, existing["ext"]?.stringValue))
        let previous = Self.objects(of: existing)
        let updated: Document
        do {
            var data = prepared.data
            if info.alternativeText == nil { data.removeValue(forKey: "alternativeText") }
            if info.caption == nil { data.removeValue(forKey: "caption") }
            guard let result = try await files.update(documentId: documentId, data: data) else { throw NotFoundError("file not found") }
            updated = result
        } catch {
            // Objects that share a name with the old ones were overwritten in place and stay in use.
            let previousNames = Set(previous.map(\.objectName))
            await removeStored(prepared.objects.filter { !previousNames.contains($0.objectName) })
            throw error
        }
        let kept = Set(prepared.objects.map(\.objectName))
        await removeStored(previous.filter { !kept.contains($0.objectName) })
        await emit(.updated, [updated])
        return updated
    }

    /// Updates `name`, `alternativeText` and `caption` of file `id`.
    public func updateFileInfo(id: Int64, info: FileInfo) async throws -> Document {
        guard let existing = try await findOne(id: id), let documentId = existing["documentId"]?.stringValue else {
            throw NotFoundError("file not found")
        }
        var data: JSONObject = [:]
        if let name = info.name {
            try Self.checkName(name)
            data["name"] = .string(name.precomposedStringWithCanonicalMapping)
        }
        if let alternativeText = info.alternativeText { data["alternativeText"] = alternativeText.map(JSONValue.string) ?? .null }
        if let caption = info.caption { data["caption"] = caption.map(JSONValue.string) ?? .null }
        guard let updated = try await files.update(documentId: documentId, data: data) else { throw NotFoundError("file not found") }
        await emit(.updated, [updated])
        return updated
    }

    /// Removes file `id` from the provider (with its formats), then its row and links.
    /// If the provider fails, the row stays and the error is thrown.
    public func delete(id: Int64) async throws -> Document? {
        guard let existing = try await findOne(id: id), let documentId = existing["documentId"]?.stringValue else { return nil }
        for object in Self.objects(of: existing) {
            try await provider.delete(object)
        }
        try await files.delete(documentId: documentId)
        await emit(.deleted, [existing])
        return existing
    }

    // MARK: Helpers

    func checkSize(_ file: IncomingFile) throws {
        guard file.size <= configuration.sizeLimit else {
            throw PayloadTooLargeError("\(file.filename) exceeds size limit of \(Self.humanReadable(configuration.sizeLimit)).")
        }
    }

    /// Strapi's `bytesToHumanReadable`: powers of 1000, rounded.
    public static func humanReadable(_ bytes: Int64) -> String {
        let units = ["Bytes", "KB", "MB", "GB", "TB"]
        guard bytes > 0 else { return "0 Bytes" }
        let power = min(units.count - 1, Int(floor(log(Double(bytes)) / log(1000))))
        return "\(Int((Double(bytes) / pow(1000, Double(power))).rounded())) \(units[power])"
    }

    /// Names that could not be a file name anywhere (path separators, control characters).
    static func checkName(_ name: String) throws {
        if name.isEmpty || name.unicodeScalars.contains(where: { $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control }) {
            throw ValidationError("File name contains invalid characters")
        }
        // The `name` column is a varchar(255) (Strapi's type on PostgreSQL).
        guard name.count <= maximumNameLength else {
            throw ValidationError("File name is too long: at most \(maximumNameLength) characters")
        }
    }

    /// The longest file name kept, in characters.
    static let maximumNameLength = 255

    /// The provider objects of a stored file: the original and every format.
    public static func objects(of file: Document) -> [ProviderObjectReference] {
        var result: [ProviderObjectReference] = []
        if let hash = file["hash"]?.stringValue {
            result.append(ProviderObjectReference(hash: hash, ext: file["ext"]?.stringValue ?? "", url: file["url"]?.stringValue ?? "",
                                                  providerMetadata: file["provider_metadata"]))
        }
        if case .object(let formats)? = file["formats"] {
            for (_, format) in formats {
                guard let hash = format["hash"]?.stringValue else { continue }
                result.append(ProviderObjectReference(hash: hash, ext: format["ext"]?.stringValue ?? "", url: format["url"]?.stringValue ?? "",
                                                      providerMetadata: format["provider_metadata"]))
            }
        }
        return result
    }

    /// Best-effort removal of objects a failed write stored; failures are logged, never hidden.
    func removeStored(_ objects: [ProviderObjectReference]) async {
        for object in objects {
            do {
                try await provider.delete(object)
            } catch {
                logger.error("Could not remove \(object.objectName) from the \(provider.name) provider after a failed upload: \(error)")
            }
        }
    }
}

/// One file stored at the provider, its row not written yet.
struct PreparedFile: Sendable {
    var data: JSONObject
    var objects: [ProviderObjectReference]
}

/// A mutual-exclusion lock for async code (first-use creation of the API Uploads folder).
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        while locked {
            await withCheckedContinuation { waiters.append($0) }
        }
        locked = true
        defer {
            locked = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}
