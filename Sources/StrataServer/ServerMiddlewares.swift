public import StrataCore
public import StrataHTTP

/// `config/middlewares.json`: Strapi's list of built-in HTTP middlewares and their options.
///
/// Entries are names (`"strapi::cors"`) or `{name, config}` objects, as in Strapi's
/// `config/middlewares.js`; without the file a new Strapi 5 project's list applies. Strata runs
/// them in Strapi's default order whatever the file's order. A middleware left out of the list is
/// off, except those Strapi refuses to start without. Custom (`global::`, plugin or path)
/// middlewares cannot run here: start-up names them.
public struct ServerMiddlewares: Sendable {
    /// `strapi::security`'s headers; `nil` when the middleware is off.
    public var security: SecurityHeaders?
    /// `strapi::cors`'s options.
    public var cors: CORSMiddleware<StrataRequestContext>.Options?
    /// `strapi::poweredBy`'s `X-Powered-By` value.
    public var poweredBy: String?
    /// `strapi::responseTime` (not in Strapi's default list).
    public var responseTime = false
    /// `strapi::ip`'s filter, when listed.
    public var ipFilter: IPFilterMiddleware?
    /// `strapi::body`'s limits in bytes (`jsonLimit`, `formLimit`), when configured.
    public var jsonLimit: Int?
    public var formLimit: Int?
    /// `strapi::favicon`'s file, relative to the project (`favicon.png` by default).
    public var favicon: String?
    /// `strapi::compression`'s response threshold in bytes, when listed.
    public var compressionThreshold: Int?

    /// A new Strapi 5 project's `config/middlewares` list.
    public static let strapiDefaultList: [String] = [
        "strapi::logger", "strapi::errors", "strapi::security", "strapi::cors", "strapi::poweredBy",
        "strapi::query", "strapi::body", "strapi::session", "strapi::favicon", "strapi::public",
    ]

    /// A new Strapi 5 project's middlewares with their default options.
    // Safe: Strapi's own defaults always parse.
    public static let strapiDefaults = try! ServerMiddlewares(json: nil)

    /// Middlewares Strapi refuses to start without.
    static let required = ["strapi::errors", "strapi::security", "strapi::cors", "strapi::query", "strapi::body", "strapi::public", "strapi::favicon"]

    /// Middlewares Strata knows; the others of Strapi's list have no options here (`logger`,
    /// `errors`, `query`, `session`, `public` are always on).
    static let known: Set<String> = Set(strapiDefaultList + ["strapi::compression", "strapi::ip", "strapi::responseTime"])

    /// Reads the list (`nil`: the file is absent).
    public init(json: JSONValue?) throws {
        let entries: [JSONValue] = try json.map { value in
            guard case .array(let items) = value else { throw ConfigurationError("config/middlewares.json must be a list of middlewares") }
            return items
        } ?? Self.strapiDefaultList.map { .string($0) }
        var configs: [String: JSONValue] = [:]
        for entry in entries {
            let name: String
            var config: JSONValue = .null
            switch entry {
            case .string(let text):
                name = text
            case .object(let object):
                guard let text = object["name"]?.stringValue else {
                    if object["resolve"] != nil { throw ConfigurationError("config/middlewares.json: middleware \(entry) is custom code, which Strata cannot run (JavaScript); remove it or port it to Swift") }
                    throw ConfigurationError("config/middlewares.json: an entry needs a name: \(JSONWriter.string(entry))")
                }
                name = text
                config = object["config"] ?? .null
            default:
                throw ConfigurationError("config/middlewares.json: an entry must be a name or {name, config}, got \(JSONWriter.string(entry))")
            }
            guard Self.known.contains(name) else {
                throw ConfigurationError("config/middlewares.json: \(name) is a custom middleware, which Strata cannot run (JavaScript); remove it or port it to Swift")
            }
            configs[name] = config
        }
        for name in Self.required where configs[name] == nil {
            throw ConfigurationError("config/middlewares.json: \(name) is required (Strapi does not start without it)")
        }
        do {
            security = try SecurityHeaders(configuration: configs["strapi::security"].flatMap { $0 == .null ? nil : $0 })
            cors = try CORSMiddleware<StrataRequestContext>.Options(configuration: configs["strapi::cors"])
            if let compression = configs["strapi::compression"] {
                compressionThreshold = try CompressionMiddleware<StrataRequestContext>(configuration: compression).threshold
            }
            if let ip = configs["strapi::ip"] {
                ipFilter = try IPFilterMiddleware(configuration: ip)
            }
        } catch {
            throw ConfigurationError("config/middlewares.json: \(error)")
        }
        if let powered = configs["strapi::poweredBy"] {
            poweredBy = powered["poweredBy"]?.stringValue ?? "Strapi <strapi.io>"
        }
        responseTime = configs["strapi::responseTime"] != nil
        if let body = configs["strapi::body"], body != .null {
            jsonLimit = try body["jsonLimit"].map { try Self.bytes($0, "strapi::body jsonLimit") }
            formLimit = try body["formLimit"].map { try Self.bytes($0, "strapi::body formLimit") }
        }
        if let favicon = configs["strapi::favicon"] {
            self.favicon = favicon["path"]?.stringValue ?? "favicon.png"
        }
    }

    /// A size as the `bytes` package reads it: a number of bytes, or `1mb`, `56kb`… (``ByteSize``).
    static func bytes(_ value: JSONValue, _ name: String) throws -> Int {
        guard let bytes = value.intValue ?? value.stringValue.flatMap(ByteSize.parse), bytes > 0 else {
            throw ConfigurationError("config/middlewares.json: \(name) must be a size such as 1mb, got \(JSONWriter.string(value))")
        }
        return Int(clamping: bytes)
    }
}
