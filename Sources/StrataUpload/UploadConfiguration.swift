import Foundation
public import StrataCore

/// The upload plugin's configuration: `config/plugins.json` → `upload.config`, as in Strapi:
///
/// ```json
/// { "upload": { "config": { "provider": "aws-s3", "providerOptions": { … }, "sizeLimit": 250000000,
///                           "breakpoints": { "xlarge": 1920, "large": 1000, "medium": 750, "small": 500 } } } }
/// ```
public struct UploadConfiguration: Sendable {
    /// `local` or `aws-s3`.
    public var provider: String
    /// Passed to the provider as Strapi passes `providerOptions`.
    public var providerOptions: JSONObject
    /// The largest accepted file, in bytes (Strapi's `sizeLimit`).
    public var sizeLimit: Int64
    /// Responsive format names and their widths, in the configured order.
    public var breakpoints: [(name: String, size: Int)]
    /// `maxFiles` (Strata's own): files one upload request may carry.
    public var maxFiles = defaultMaxFiles
    /// `maxTotalSize` (Strata's own): bytes the files of one request may hold together; four
    /// times `sizeLimit` unless configured.
    public var maxTotalSize: Int64 { configuredMaxTotalSize ?? Self.timesFour(sizeLimit) }
    var configuredMaxTotalSize: Int64?

    public static let defaultMaxFiles = 100

    static func timesFour(_ bytes: Int64) -> Int64 {
        let (total, overflow) = bytes.multipliedReportingOverflow(by: 4)
        return overflow ? .max : total
    }

    /// Strapi's defaults: 1 GB, large/medium/small breakpoints.
    public static let defaultSizeLimit: Int64 = 1_000_000_000
    public static let defaultBreakpoints: [(name: String, size: Int)] = [("large", 1000), ("medium", 750), ("small", 500)]

    public init(provider: String = "local", providerOptions: JSONObject = [:], sizeLimit: Int64 = defaultSizeLimit,
                breakpoints: [(name: String, size: Int)] = defaultBreakpoints) {
        self.provider = provider
        self.providerOptions = providerOptions
        self.sizeLimit = sizeLimit
        self.breakpoints = breakpoints
    }

    /// Reads `upload.config` from `config/plugins.json`; `nil` gives the defaults.
    public init(json: JSONValue?) throws {
        self.init()
        guard let json, json != .null else { return }
        guard case .object = json else { throw UploadConfigurationError("upload.config must be an object") }
        if let provider = json["provider"] {
            guard let name = provider.stringValue, !name.isEmpty else { throw UploadConfigurationError("upload.config.provider must be a provider name") }
            // Strapi accepts the package name too (`@strapi/provider-upload-aws-s3`).
            self.provider = name.replacingOccurrences(of: "@strapi/provider-upload-", with: "")
        }
        if let options = json["providerOptions"] {
            guard case .object(let object) = options else { throw UploadConfigurationError("upload.config.providerOptions must be an object") }
            providerOptions = object
        }
        if let limit = json["sizeLimit"] {
            guard let bytes = limit.intValue ?? limit.stringValue.flatMap({ Int64($0) }), bytes > 0 else {
                throw UploadConfigurationError("upload.config.sizeLimit must be a positive number of bytes")
            }
            sizeLimit = bytes
        }
        if let value = json["maxFiles"] {
            guard let count = value.intValue, count > 0, count <= Int64(Int32.max) else {
                throw UploadConfigurationError("upload.config.maxFiles must be a positive number of files")
            }
            maxFiles = Int(count)
        }
        if let value = json["maxTotalSize"] {
            guard let bytes = value.intValue ?? value.stringValue.flatMap({ Int64($0) }), bytes > 0 else {
                throw UploadConfigurationError("upload.config.maxTotalSize must be a positive number of bytes")
            }
            configuredMaxTotalSize = bytes
        }
        if let points = json["breakpoints"] {
            guard case .object(let object) = points else { throw UploadConfigurationError("upload.config.breakpoints must be an object of widths") }
            breakpoints = try object.map { key, value in
                guard let size = value.intValue, size > 0 else { throw UploadConfigurationError("upload.config.breakpoints.\(key) must be a positive width") }
                return (key, Int(size))
            }
        }
    }
}

/// The Media Library's settings (core store `plugin_upload_settings`, edited in Strapi's admin).
public struct UploadSettings: Sendable, Equatable {
    public var sizeOptimization = true
    public var responsiveDimensions = true
    public var autoOrientation = false

    public init() {}

    public init(json: JSONValue?) {
        if let value = json?["sizeOptimization"]?.boolValue { sizeOptimization = value }
        if let value = json?["responsiveDimensions"]?.boolValue { responsiveDimensions = value }
        if let value = json?["autoOrientation"]?.boolValue { autoOrientation = value }
    }

    public var json: JSONValue {
        .object(["sizeOptimization": .bool(sizeOptimization), "responsiveDimensions": .bool(responsiveDimensions), "autoOrientation": .bool(autoOrientation)])
    }
}

/// An invalid upload configuration, reported at start-up.
public struct UploadConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
