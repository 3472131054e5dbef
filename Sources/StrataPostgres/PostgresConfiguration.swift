import Foundation

/// Where and how to reach a PostgreSQL database: Strapi's `connection` settings for the
/// `postgres` client (`host`, `port`, `database`, `user`, `password`, `ssl`, `schema`, or a
/// `connectionString`) and its pool.
public struct PostgresConfiguration: Sendable, Equatable {
    public enum TLSMode: Sendable, Equatable {
        /// Plain TCP (`ssl: false`, the default).
        case disable
        /// TLS required; `verify` checks the server's certificate (`rejectUnauthorized`).
        case require(verify: Bool)
    }

    public var host: String
    public var port: Int
    public var database: String
    public var username: String
    public var password: String?
    public var tls: TLSMode
    /// Certificate authorities to trust instead of the system's (`ssl.ca`): PEM text or a file path.
    public var tlsCertificateAuthority: String?
    /// A client certificate chain (`ssl.cert`) and its key (`ssl.key`): PEM text or file paths.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// The schema tables live in (`DATABASE_SCHEMA`, `public` by default); created when missing.
    public var schema: String
    /// Most connections one instance opens (Strapi's `pool.max`).
    public var maximumConnections: Int
    /// Connections kept open when idle (Strapi's `pool.min`).
    public var minimumConnections: Int
    /// How long opening a connection may take.
    public var connectTimeoutSeconds: Int
    /// How long a query waits for a connection from a full pool before it fails (Strapi's
    /// `acquireConnectionTimeout`, 60 s by default there too), so an exhausted pool is an error, not a hang.
    public var acquireTimeoutMilliseconds: Int
    /// The name connections report to the server (`application_name`, shown in
    /// `pg_stat_activity`), so an operator can tell Strata's sessions from others.
    public var applicationName: String

    public init(
        host: String = "localhost", port: Int = 5432, database: String = "strapi", username: String = "strapi",
        password: String? = nil, tls: TLSMode = .disable, schema: String = "public",
        maximumConnections: Int = 10, minimumConnections: Int = 2, connectTimeoutSeconds: Int = 10,
        applicationName: String = "strata", acquireTimeoutMilliseconds: Int = 60_000
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
        self.schema = schema
        self.maximumConnections = maximumConnections
        self.minimumConnections = minimumConnections
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.applicationName = applicationName
        self.acquireTimeoutMilliseconds = acquireTimeoutMilliseconds
    }

    /// Connections the pool may open: `maximumConnections`, but at least two, as the start-up
    /// lock holds one while start-up work uses others.
    var poolSize: Int { max(2, maximumConnections) }

    /// `host:port/database`, for messages (never the password).
    public var displayName: String { "\(host):\(port)/\(database)" }

    /// A malformed `postgres://` URL.
    public struct URLError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Applies a `postgres://user:password@host:port/database?sslmode=…&schema=…` URL (as
    /// `DATABASE_URL` / `connectionString`) over these settings.
    public mutating func apply(url text: String) throws(URLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw URLError(description: "DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        if let host = components.host, !host.isEmpty { self.host = host }
        if let port = components.port { self.port = port }
        if let user = components.user, !user.isEmpty { username = user.removingPercentEncoding ?? user }
        if let password = components.password { self.password = password.removingPercentEncoding ?? password }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        if !path.isEmpty { database = path.removingPercentEncoding ?? path }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable", "allow", "prefer": tls = .disable
                case "require": tls = .require(verify: false)
                case "verify-ca", "verify-full": tls = .require(verify: true)
                default: throw URLError(description: "DATABASE_URL: unsupported sslmode \"\(item.value ?? "")\"")
                }
            case "ssl":
                if let value = item.value, ["true", "1"].contains(value) { tls = .require(verify: true) }
            case "schema", "search_path":
                if let value = item.value, !value.isEmpty { schema = value }
            case "application_name":
                if let value = item.value, !value.isEmpty { applicationName = value }
            default:
                continue
            }
        }
    }
}
