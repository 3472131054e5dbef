/// Why an archive could not be read or written. Messages name the problem and, where Strapi has
/// one, use Strapi's wording.
public enum ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case unwritable(String)
    /// The file name does not end in `.tar[.gz][.enc]`.
    case invalidExtension(String)
    /// Not a Strapi data file at all (no tar, no metadata.json).
    case notAnArchive(String)
    /// The key is wrong, or the encrypted file was not produced by an exporter.
    case wrongKey(String)
    /// The authenticated format detected modified or truncated ciphertext.
    case tampered(String)
    case truncated(String)
    case corruptCompression(String)
    case unsafeEntry(path: String, reason: String)
    case oversizedEntry(path: String, size: Int64, limit: Int64)
    /// A tar header (or its pax extended records) that no tar writer produces.
    case invalidHeader(path: String, reason: String)
    /// An entry beyond one of the import's configurable ``ImportLimits``; `limit` is its value in bytes.
    case limitExceeded(path: String, limit: ImportLimits.Limit, bytes: Int64)
    case invalidRecord(path: String, message: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "Cannot read '\(path)'."
        case .unwritable(let path): "Cannot write '\(path)'."
        case .invalidExtension(let path):
            "The file '\(path)' does not appear to be a valid Strapi data file. It must have an extension ending in .tar[.gz][.enc]"
        case .notAnArchive(let path): "File '\(path)' is not a valid Strapi data file."
        case .wrongKey(let path): "Key is incorrect or the file '\(path)' is not a valid Strapi data file."
        case .tampered(let path): "The file '\(path)' failed its integrity check: it was modified or truncated after export, or the key is wrong."
        case .truncated(let detail): "The archive is truncated: \(detail)."
        case .corruptCompression(let detail): "The archive's gzip data is corrupt: \(detail)."
        case .unsafeEntry(let path, let reason): "Refusing archive entry '\(path)': \(reason)."
        case .oversizedEntry(let path, let size, let limit): "Archive entry '\(path)' is \(size) bytes, more than the \(limit) bytes allowed."
        case .invalidHeader(let path, let reason): "Archive entry '\(path)' has an invalid tar header: \(reason)."
        case .limitExceeded(let path, let limit, let bytes):
            "Archive entry '\(path)' \(limit.exceeded) of \(bytes) bytes (raise it with \(limit.setting))."
        case .invalidRecord(let path, let message): "Error parsing backup files from backup file \(path): \(message)"
        }
    }
}
