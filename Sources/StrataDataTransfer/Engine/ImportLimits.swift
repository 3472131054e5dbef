public import StrataCore

/// What `strata import` accepts from an archive, so that a small file (a gzip bomb, a corrupt or
/// hostile archive) cannot fill the disk or the memory. An archive beyond a limit is refused with
/// ``ArchiveError/limitExceeded(path:limit:bytes:)`` and, the import being all-or-nothing, changes
/// nothing.
///
/// Set in `config/server.json`, overridden by `strata import --max-asset-size / --max-line-size`:
/// ```json
/// { "transfer": { "maxAssetSize": "2G", "maxLineSize": 134217728 } }
/// ```
/// Values are bytes: a number, or a string with an optional `K`, `M` or `G` suffix (powers of
/// 1024; `KB`, `KiB`… are accepted too).
public struct ImportLimits: Sendable, Equatable {
    /// One of the limits, as messages name it.
    public enum Limit: String, Sendable, Equatable {
        case assetSize = "maxAssetSize"
        case lineSize = "maxLineSize"

        /// The end of "Archive entry '…' … of N bytes".
        var exceeded: String {
            switch self {
            case .assetSize: "is larger than the maximum asset size"
            case .lineSize: "has a line longer than the maximum JSONL line size"
            }
        }

        /// Where a user raises it.
        var setting: String {
            switch self {
            case .assetSize: "--max-asset-size or transfer.maxAssetSize in config/server.json"
            case .lineSize: "--max-line-size or transfer.maxLineSize in config/server.json"
            }
        }
    }

    /// 1 GiB: above Strapi's (and Strata's) default upload `sizeLimit` of 1 GB, so any file the
    /// Media Library accepted with default settings imports back.
    public static let defaultMaxAssetSize: Int64 = 1 << 30
    /// 64 MiB: one line is one entity, link or setting, and Strapi's REST API accepts JSON bodies of
    /// 1 MB (Strata's 10 MiB), so this leaves ample room while bounding the memory one line takes
    /// (the line, then its parsed value: a few times the limit at most).
    public static let defaultMaxLineSize = 64 << 20

    /// Largest file under `assets/uploads/`, in bytes (checked against the tar header, before
    /// anything is written).
    public var maxAssetSize: Int64
    /// Longest line of a JSONL file (`schemas/`, `entities/`, `links/`, `configuration/`), in
    /// bytes; reading stops as soon as a line goes beyond it.
    public var maxLineSize: Int

    public init(maxAssetSize: Int64 = defaultMaxAssetSize, maxLineSize: Int = defaultMaxLineSize) {
        self.maxAssetSize = maxAssetSize
        self.maxLineSize = maxLineSize
    }

    /// Reads `transfer` from `config/server.json` (`nil`: the defaults). Without `maxAssetSize`, the
    /// asset limit is the larger of the default and `uploadSizeLimit` (the upload plugin's
    /// `sizeLimit`), so raising that one is enough to import back what the Media Library took.
    public init(configuration: JSONValue?, uploadSizeLimit: Int64 = 0) throws(TransferError) {
        self.init(maxAssetSize: max(Self.defaultMaxAssetSize, uploadSizeLimit))
        guard let configuration, configuration != .null else { return }
        guard case .object = configuration else { throw TransferError("config/server.json: \"transfer\" must be an object") }
        if let value = configuration[Limit.assetSize.rawValue] {
            maxAssetSize = try Self.size(value, name: "transfer.\(Limit.assetSize.rawValue)")
        }
        if let value = configuration[Limit.lineSize.rawValue] {
            maxLineSize = Int(try Self.size(value, name: "transfer.\(Limit.lineSize.rawValue)"))
        }
    }

    static func size(_ value: JSONValue, name: String) throws(TransferError) -> Int64 {
        let parsed: Int64?
        if let number = value.intValue {
            parsed = number
        } else if let text = value.stringValue {
            parsed = ByteSize.parse(text)
        } else {
            parsed = nil
        }
        guard let parsed, parsed > 0 else {
            throw TransferError("config/server.json: \(name) must be a positive number of bytes, optionally with K, M or G (\"512M\"), got \(JSONWriter.string(value))")
        }
        return parsed
    }
}
