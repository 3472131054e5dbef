/// A Strapi model identifier, parsed: `api::article.article`, `plugin::upload.file`,
/// `admin::user`, `strapi::core-store`, or a component uid `shared.seo`.
///
/// The grammar is Strapi's public API (its `registries/namespace.ts`), so it is parsed exactly
/// and uids are never passed around as bare strings inside the engine.
public struct UID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Namespace: Sendable, Hashable {
        case api(String)
        case plugin(String)
        case admin
        case strapi
        case component(category: String)
    }

    public let namespace: Namespace
    /// The model name: `article`, `file`, `user`, `seo`.
    public let name: String
    public let rawValue: String

    public init(_ rawValue: String) throws(UIDError) {
        self.rawValue = rawValue
        let halves = rawValue.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        if halves.count == 2 {
            let prefix = String(halves[0])
            let rest = String(halves[1])
            switch prefix {
            case "api", "plugin":
                let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw UIDError(rawValue) }
                namespace = prefix == "api" ? .api(String(parts[0])) : .plugin(String(parts[0]))
                name = String(parts[1])
            case "admin", "strapi":
                guard !rest.isEmpty, !rest.contains(".") || prefix == "strapi" else { throw UIDError(rawValue) }
                namespace = prefix == "admin" ? .admin : .strapi
                name = rest
            default:
                throw UIDError(rawValue)
            }
        } else {
            let parts = rawValue.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw UIDError(rawValue) }
            namespace = .component(category: String(parts[0]))
            name = String(parts[1])
        }
    }

    /// `api::<api>.<name>`.
    public static func api(_ api: String, _ name: String) -> UID {
        // Safe: both parts are non-empty by construction from folder names.
        try! UID("api::\(api).\(name)")
    }

    public var isComponent: Bool {
        if case .component = namespace { return true }
        return false
    }

    public var description: String { rawValue }

    public static func < (lhs: UID, rhs: UID) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func == (lhs: UID, rhs: UID) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// A string that is not a valid Strapi uid.
public struct UIDError: Error, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "\"\(value)\" is not a valid uid" }
}
