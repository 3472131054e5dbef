import Foundation
import Logging
import StrataCore
import StrataDatabase
import StrataUpload

/// Where `strata import` puts asset files, without ever losing the previous ones: the local
/// uploads folder (``UploadsStaging``) or the configured upload provider (``ProviderAssetStaging``).
///
/// The protocol follows the import's transaction: files are staged while the archive is read,
/// placed before the database commits, and the previous data's files are removed only after it
/// commits; a failure removes exactly what the import added.
protocol AssetDestination: AnyObject {
    /// The stored objects the data before the import references (`<hash><ext>` names).
    var previous: Set<String> { get }
    /// A new file for `name`, to be filled by the caller.
    func stagedFile(_ name: String) throws -> FileHandle
    /// The staged file is complete: store it (remote providers) and say where its row must point.
    func place(_ name: String, mime: String?) async throws -> (url: String, provider: String)
    /// Before the commit: the last moves that cannot disturb the previous data.
    func placeNewFiles() throws
    /// After the commit: removes the previous objects the import did not bring.
    func commit() async
    /// After a failure: removes what the import added.
    func rollback() async
}

/// Assets for a remote provider (`aws-s3`): each file goes to the provider as it is read from the
/// archive (inside the import's transaction), under its own `<hash><ext>` name, which the previous
/// data does not use unless it is the same file.
final class ProviderAssetStaging: AssetDestination {
    let provider: any UploadProvider
    let directory: URL
    let previous: Set<String>
    let logger: Logger
    private var uploaded: [String: String] = [:]
    private var imported: Set<String> = []

    init(provider: any UploadProvider, database: Database, logger: Logger) async throws {
        self.provider = provider
        self.logger = logger
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        previous = try await Self.objects(in: database, provider: provider.name)
    }

    /// `<hash><ext>` of every original and format the files table stores at `provider`.
    static func objects(in database: Database, provider: String) async throws -> Set<String> {
        guard let files = database.query(uploadFileUID) else { return [] }
        var names: Set<String> = []
        let rows = try await files.findMany(EntityQuery(filter: .field("provider", .operator(.eq, .string(provider))), fields: ["hash", "ext", "formats"]))
        for row in rows {
            names.formUnion(UploadService.objects(of: row).map(\.objectName))
        }
        return names
    }

    func stagedFile(_ name: String) throws -> FileHandle {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw ArchiveError.unwritable(url.path)
        }
        return handle
    }

    func place(_ name: String, mime: String?) async throws -> (url: String, provider: String) {
        let path = directory.appendingPathComponent(name).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (hash, ext) = Self.split(name)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let stored = try await provider.upload(ProviderFile(hash: hash, ext: ext, mime: mime ?? FileNaming.mime(forExtension: ext), sizeInBytes: size, contentPath: path))
        uploaded[name] = stored.url
        imported.insert(name)
        return (stored.url, provider.name)
    }

    func placeNewFiles() throws {}

    func commit() async {
        for name in previous.subtracting(imported).sorted() {
            await delete(name, url: "")
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func rollback() async {
        // Objects the previous data references stay, even when the import wrote the same name.
        for (name, url) in uploaded.sorted(by: { $0.key < $1.key }) where !previous.contains(name) {
            await delete(name, url: url)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `photo_3f2a.JPG` → (`photo_3f2a`, `.JPG`): the archive's name, as stored.
    static func split(_ name: String) -> (hash: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    private func delete(_ name: String, url: String) async {
        let (hash, ext) = Self.split(name)
        do {
            try await provider.delete(ProviderObjectReference(hash: hash, ext: ext, url: url))
        } catch {
            logger.warning("Could not remove \(name) from the \(provider.name) provider: \(error)")
        }
    }
}
