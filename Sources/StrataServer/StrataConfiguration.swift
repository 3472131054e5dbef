import Foundation
public import StrataOperations
public import StrataPostgres
import StrataCore
import StrataDatabase

/// Resolved, typed configuration: what the raw `config/*.json` files and environment mean.
/// Nothing reads the environment after this is built.
public struct StrataConfiguration: Sendable {
    public struct Server: Sendable {
        public var host: String
        public var port: Int
        /// Largest accepted request body, in bytes.
        public var maxBodySize: Int
        /// `requestTimeout` (milliseconds, Strata's own): how long a request may run before it is
        /// stopped with a 503; `nil` (configured as 0) for no limit. 60 s by default, as a
        /// reverse proxy's usual read timeout.
        public var requestTimeout: Duration? = .seconds(60)
        /// `proxy` (`{koa: true}`, or `true`): trust `X-Forwarded-For` for the client's address.
        public var proxy: Proxy?
    }

    /// How far to trust a reverse proxy's headers (Strapi's `server.proxy`).
    public struct Proxy: Sendable {
        public var ipHeader = "X-Forwarded-For"
        public var maxIpsCount: Int?
    }

    public struct Database: Sendable {
        public enum Client: String, Sendable {
            case sqlite
            case postgres
        }

        public var client: Client
        /// Absolute path of the SQLite file, or `:memory:`.
        public var filename: String
        /// Connection settings when `client` is `postgres`.
        public var postgres: PostgresConfiguration?
        public var allowDestructiveMigrations: Bool
    }

    public var server: Server
    public var database: Database
    public var api: ContentAPIConfiguration
    /// `config/middlewares.json`.
    public var middlewares = ServerMiddlewares.strapiDefaults

    /// Interprets the configuration files of the project at `projectDirectory`.
    public static func resolve(files: ConfigurationFiles, environment: ProjectEnvironment, projectDirectory: String) throws -> StrataConfiguration {
        let host = files.value("server", "host")?.stringValue ?? environment["HOST"] ?? "0.0.0.0"
        let portValue = files.value("server", "port") ?? environment["PORT"].map { .string($0) } ?? .int(1337)
        guard let port = portValue.configInt, (0...65535).contains(port) else {
            throw ConfigurationError("config/server.json: \"port\" must be a port number, got \(portValue)")
        }

        let database = try Database.resolve(files: files, environment: environment, projectDirectory: projectDirectory)

        var api = ContentAPIConfiguration()
        if let rest = files.value("api", "rest") {
            if let prefix = rest["prefix"]?.stringValue { api.prefix = prefix.hasPrefix("/") ? prefix : "/" + prefix }
            if let value = rest["defaultLimit"] {
                guard let limit = value.configInt, limit > 0 else { throw ConfigurationError("config/api.json: rest.defaultLimit must be a positive integer") }
                api.defaultLimit = limit
            }
            if let value = rest["maxLimit"] {
                if value == .null {
                    api.maxLimit = nil
                } else {
                    guard let limit = value.configInt, limit > 0 else { throw ConfigurationError("config/api.json: rest.maxLimit must be a positive integer") }
                    api.maxLimit = limit
                }
            } else {
                api.maxLimit = nil
            }
            if let value = rest["withCount"] {
                guard let flag = value.configBool else { throw ConfigurationError("config/api.json: rest.withCount must be a boolean") }
                api.withCount = flag
            }
            if let limits = rest["limits"] {
                api.limits = try Self.queryLimits(limits)
            }
        } else {
            api.maxLimit = nil
        }
        if let list = files.value("api", "responses", "privateAttributes")?.arrayValue {
            api.privateAttributes = list.compactMap(\.stringValue)
        }

        let maxBody = files.value("server", "maxBodySize")?.configInt ?? 10 * 1024 * 1024
        var server = Server(host: host, port: port, maxBodySize: maxBody)
        if let value = files.value("server", "requestTimeout") {
            guard let milliseconds = value.configInt, milliseconds >= 0 else {
                throw ConfigurationError("config/server.json: requestTimeout must be a number of milliseconds (0 for no limit)")
            }
            server.requestTimeout = milliseconds == 0 ? nil : .milliseconds(milliseconds)
        }
        switch files.value("server", "proxy") {
        case .bool(true)?:
            server.proxy = Proxy()
        case .object(let proxy)?:
            if proxy["koa"]?.configBool == true || proxy["enabled"]?.configBool == true {
                var trusted = Proxy()
                if let header = proxy["ipHeader"]?.stringValue { trusted.ipHeader = header }
                trusted.maxIpsCount = proxy["maxIpsCount"]?.configInt
                server.proxy = trusted
            }
        default:
            break
        }
        var configuration = StrataConfiguration(
            server: server,
            database: database,
            api: api
        )
        configuration.middlewares = try ServerMiddlewares(json: files.value("middlewares"))
        return configuration
    }

    /// `rest.limits` of `config/api.json` (Strata's own): each key overrides one default of
    /// ``QueryLimits``.
    static func queryLimits(_ json: JSONValue) throws -> QueryLimits {
        guard case .object(let object) = json else { throw ConfigurationError("config/api.json: rest.limits must be an object") }
        var limits = QueryLimits()
        let keys: [(String, WritableKeyPath<QueryLimits, Int>)] = [
            ("pathDepth", \.pathDepth), ("sortTerms", \.sortTerms), ("filterConditions", \.filterConditions), ("searchLength", \.searchLength),
        ]
        for (key, value) in object {
            guard let path = keys.first(where: { $0.0 == key })?.1 else {
                throw ConfigurationError("config/api.json: rest.limits.\(key) is not a known limit (pathDepth, sortTerms, filterConditions, searchLength)")
            }
            guard let number = value.configInt, number > 0 else { throw ConfigurationError("config/api.json: rest.limits.\(key) must be a positive integer") }
            limits[keyPath: path] = number
        }
        return limits
    }
}
