public import StrataCore

/// Where uploaded bytes live: Strapi's upload provider interface (`upload`, `delete`), async and
/// streaming from a file on disk so that no upload is ever held in memory whole.
///
/// Chosen by `config/plugins.json` → `upload.config.provider` (`local`, `aws-s3`).
public protocol UploadProvider: Sendable {
    /// The name stored in each file's `provider` column.
    var name: String { get }

    /// Stores the bytes of `file` and returns where they are now.
    func upload(_ file: ProviderFile) async throws -> StoredObject

    /// Removes a stored object. An object that is already gone is not an error.
    func delete(_ object: ProviderObjectReference) async throws

    /// Releases connections; called once when Strata stops.
    func shutdown() async throws
}

extension UploadProvider {
    public func shutdown() async throws {}
}

/// One object to store: the original or one of its formats.
public struct ProviderFile: Sendable {
    /// Strapi's `hash` (`my_photo_3f2a9c1b7e`, `thumbnail_my_photo_3f2a9c1b7e`).
    public var hash: String
    /// With its dot (`.png`), possibly empty.
    public var ext: String
    public var mime: String
    public var sizeInBytes: Int64
    /// A file holding the bytes; the provider reads it and never moves or deletes it.
    public var contentPath: String

    public init(hash: String, ext: String, mime: String, sizeInBytes: Int64, contentPath: String) {
        self.hash = hash
        self.ext = ext
        self.mime = mime
        self.sizeInBytes = sizeInBytes
        self.contentPath = contentPath
    }

    /// `<hash><ext>`, the object's file name everywhere.
    public var objectName: String { hash + ext }
}

/// Where a provider put an object.
public struct StoredObject: Sendable, Equatable {
    /// The file's public URL (`/uploads/x.png` for local, absolute for S3).
    public var url: String
    /// Provider-specific facts Strapi keeps in `provider_metadata` (`null` for local and S3).
    public var providerMetadata: JSONValue?

    public init(url: String, providerMetadata: JSONValue? = nil) {
        self.url = url
        self.providerMetadata = providerMetadata
    }
}

/// What a provider needs to find an object again: a stored file's or format's columns.
public struct ProviderObjectReference: Sendable, Equatable {
    public var hash: String
    public var ext: String
    public var url: String
    public var providerMetadata: JSONValue?

    public init(hash: String, ext: String, url: String, providerMetadata: JSONValue? = nil) {
        self.hash = hash
        self.ext = ext
        self.url = url
        self.providerMetadata = providerMetadata
    }

    public var objectName: String { hash + ext }
}

/// A provider that failed to store or delete an object (502): the message names the provider and
/// what it answered, and nothing in the database points at an object that is not there.
public struct UploadProviderError: StrataError {
    public let message: String
    public var name: String { "ProviderError" }
    public var status: Int { 502 }

    public init(_ message: String) { self.message = message }
}
