import Foundation
import NIOCore
import NIOPosix

/// Strapi's `local` provider: files under `public/uploads/<hash><ext>`, served at `/uploads/...`.
public struct LocalUploadProvider: UploadProvider {
    public let name = "local"
    /// The `public/uploads` directory.
    public let directory: String
    /// The URL path the directory is served at.
    public let urlPrefix: String

    public init(directory: String, urlPrefix: String = "/uploads") {
        self.directory = directory
        self.urlPrefix = urlPrefix
    }

    public func upload(_ file: ProviderFile) async throws -> StoredObject {
        let target = try path(for: file.objectName)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Copy next to the target first, then rename: a reader never sees a half-written file.
        let partial = target + ".strata-partial"
        try? FileManager.default.removeItem(atPath: partial)
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.copyItem(atPath: file.contentPath, toPath: partial)
            if rename(partial, target) != 0 {
                let code = errno
                try? FileManager.default.removeItem(atPath: partial)
                throw UploadProviderError("The local provider could not store \(file.objectName): \(String(cString: strerror(code)))")
            }
        }
        return StoredObject(url: "\(urlPrefix)/\(file.objectName)")
    }

    public func delete(_ object: ProviderObjectReference) async throws {
        let target = try path(for: object.objectName)
        guard FileManager.default.fileExists(atPath: target) else { return }
        do {
            try FileManager.default.removeItem(atPath: target)
        } catch {
            throw UploadProviderError("The local provider could not delete \(object.objectName): \(error.localizedDescription)")
        }
    }

    /// The stored file for an object name, refusing names that would leave the directory.
    public func path(for objectName: String) throws -> String {
        guard !objectName.isEmpty, !objectName.contains("/"), !objectName.contains("\\"), !objectName.contains("\0"),
              objectName != ".", objectName != "..", !objectName.hasPrefix(".")
        else {
            throw UploadProviderError("The local provider refuses the object name \(objectName.debugDescription)")
        }
        return directory + "/" + objectName
    }
}
