/// Which data types a transfer includes: Strapi's `--only` / `--exclude` presets.
/// Schemas are always included.
public struct TransferSelection: Sendable, Equatable {
    public enum DataType: String, Sendable, CaseIterable {
        /// Entities and links.
        case content
        /// Assets (the files of the Media Library).
        case files
        /// Configuration: core store settings and webhooks.
        case config
    }

    public var content: Bool
    public var files: Bool
    public var config: Bool

    public static let all = TransferSelection(content: true, files: true, config: true)

    public init(content: Bool, files: Bool, config: Bool) {
        self.content = content
        self.files = files
        self.config = config
    }

    /// Builds a selection from the CLI's comma-separated lists.
    public init(only: [String], exclude: [String]) throws(TransferError) {
        func parse(_ names: [String], option: String) throws(TransferError) -> Set<DataType> {
            var types: Set<DataType> = []
            for name in names where !name.isEmpty {
                guard let type = DataType(rawValue: name) else {
                    throw TransferError("option '--\(option) <comma-separated data types>' argument '\(name)' is invalid. Allowed choices are content, files, config.")
                }
                types.insert(type)
            }
            return types
        }
        let onlyTypes = try parse(only, option: "only")
        let excludeTypes = try parse(exclude, option: "exclude")
        let both = onlyTypes.intersection(excludeTypes)
        guard both.isEmpty else {
            let names = DataType.allCases.filter(both.contains).map(\.rawValue).joined(separator: ", ")
            throw TransferError("Data types may not be used in both \"exclude\" and \"only\" in the same command. Found in both: \(names)")
        }
        func included(_ type: DataType) -> Bool {
            (onlyTypes.isEmpty || onlyTypes.contains(type)) && !excludeTypes.contains(type)
        }
        self.init(content: included(.content), files: included(.files), config: included(.config))
    }
}

/// A data-transfer failure with a message for the user.
public struct TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Types whose entities Strapi never exports, imports or wipes (admin users, roles and
/// permissions, API and transfer tokens, audit logs, releases).
public enum IgnoredContentTypes {
    public static let uids: Set<String> = [
        "admin::permission", "admin::user", "admin::role", "admin::api-token", "admin::api-token-permission",
        "admin::transfer-token", "admin::transfer-token-permission", "admin::audit-log",
        "plugin::content-releases.release", "plugin::content-releases.release-action",
    ]

    public static func contains(_ uid: String) -> Bool { uids.contains(uid) }
}
