import Foundation

/// Puts imported asset files into the uploads folder without ever losing the previous ones.
///
/// Files are written to a staging folder inside `public/uploads` (same file system, so moves are
/// atomic renames). Before the database commits, new names are moved into place (they cannot
/// disturb the previous data, which never references them); names that already exist with other
/// bytes wait until after the commit. Files of the previous data are deleted only after the
/// commit. A failure before the commit removes exactly the files this import added; a crash
/// leaves at worst unreferenced files, never a referenced one missing.
final class UploadsStaging: AssetDestination {
    let uploads: URL
    let staging: URL
    /// The regular files in the uploads folder before the import.
    private(set) var previous: Set<String> = []
    private(set) var added: [String] = []
    private var replacements: [String] = []
    private(set) var imported: Set<String> = []
    private let fileManager = FileManager.default
    static let prefix = ".strata-import-"

    init(uploads: URL) throws {
        self.uploads = uploads
        staging = uploads.appendingPathComponent("\(Self.prefix)\(UUID().uuidString)")
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        try removeStaleStagingFolders()
        previous = existingFiles()
    }

    /// The regular files in the uploads folder now (hidden ones, such as `.gitkeep` or staging
    /// folders, are not the Media Library's).
    func existingFiles() -> Set<String> {
        var names: Set<String> = []
        for name in (try? fileManager.contentsOfDirectory(atPath: uploads.path)) ?? [] where !name.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: uploads.appendingPathComponent(name).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                names.insert(name)
            }
        }
        return names
    }

    /// A new file in the staging folder for `name`, to be filled by the caller.
    func stagedFile(_ name: String) throws -> FileHandle {
        let url = staging.appendingPathComponent(name)
        guard fileManager.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw ArchiveError.unwritable(url.path)
        }
        imported.insert(name)
        return handle
    }

    /// Local files are served from the uploads folder under their own name.
    func place(_ name: String, mime: String?) async throws -> (url: String, provider: String) {
        ("/uploads/\(name)", "local")
    }

    /// Moves staged files whose names are free into the uploads folder (before the commit).
    func placeNewFiles() throws {
        for name in imported.sorted() {
            let source = staging.appendingPathComponent(name)
            let destination = uploads.appendingPathComponent(name)
            if fileManager.fileExists(atPath: destination.path) {
                if fileManager.contentsEqual(atPath: source.path, andPath: destination.path) {
                    try fileManager.removeItem(at: source)
                } else {
                    replacements.append(name)
                }
            } else {
                try fileManager.moveItem(at: source, to: destination)
                added.append(name)
            }
        }
    }

    /// After the commit: replaces changed files and deletes the previous files the import did not bring.
    func commit() async {
        for name in replacements {
            let destination = uploads.appendingPathComponent(name)
            _ = try? fileManager.replaceItemAt(destination, withItemAt: staging.appendingPathComponent(name))
        }
        for name in previous.subtracting(imported) {
            try? fileManager.removeItem(at: uploads.appendingPathComponent(name))
        }
        try? fileManager.removeItem(at: staging)
    }

    /// After a failure: removes what this import added, leaving the previous files as they were.
    func rollback() async {
        for name in added { try? fileManager.removeItem(at: uploads.appendingPathComponent(name)) }
        try? fileManager.removeItem(at: staging)
    }

    /// Staging folders of an import killed before it could clean up.
    private func removeStaleStagingFolders() throws {
        for name in (try? fileManager.contentsOfDirectory(atPath: uploads.path)) ?? [] where name.hasPrefix(Self.prefix) {
            let url = uploads.appendingPathComponent(name)
            if name != staging.lastPathComponent { try? fileManager.removeItem(at: url) }
        }
    }
}
