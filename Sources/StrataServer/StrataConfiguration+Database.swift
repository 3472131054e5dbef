import Foundation
import StrataCore
import StrataPostgres

extension StrataConfiguration.Database {
    /// Reads `config/database.json` as Strapi's `config/database.js` is shaped
    /// (`connection.client`, `connection.connection.*`, `connection.pool`,
    /// `connection.acquireConnectionTimeout`), falling back to the `DATABASE_*` variables of
    /// Strapi's generated configuration for settings the file leaves out.
    static func resolve(files: ConfigurationFiles, environment: ProjectEnvironment, projectDirectory: String) throws -> Self {
        let root = files.value("database", "connection")
        let clientName = root?["client"]?.stringValue ?? environment["DATABASE_CLIENT"] ?? "sqlite"
        let settings = root?["connection"]
        switch clientName {
        case "sqlite", "sqlite3", "better-sqlite3":
            let setting = settings?["filename"]?.stringValue ?? environment["DATABASE_FILENAME"] ?? ".tmp/data.db"
            let filename: String
            if setting == ":memory:" || setting.hasPrefix("/") {
                filename = setting
            } else {
                filename = URL(fileURLWithPath: projectDirectory).appendingPathComponent(setting).standardizedFileURL.path
            }
            return Self(client: .sqlite, filename: filename, postgres: nil, allowDestructiveMigrations: false)
        case "postgres", "postgresql", "pg":
            return Self(client: .postgres, filename: "", postgres: try postgres(root: root, environment: environment), allowDestructiveMigrations: false)
        default:
            throw ConfigurationError("config/database.json: unsupported client \"\(clientName)\" (expected sqlite or postgres)")
        }
    }

    static func postgres(root: JSONValue?, environment: ProjectEnvironment) throws -> PostgresConfiguration {
        let settings = root?["connection"]
        func text(_ key: String, _ variable: String) -> String? {
            let value = settings?[key]?.stringValue ?? environment[variable]
            return value?.isEmpty == true ? nil : value
        }
        func integer(_ value: JSONValue?, _ variable: String?, name: String) throws -> Int? {
            if let value, value != .null, !(value.stringValue?.isEmpty ?? false) {
                guard let number = value.configInt else { throw ConfigurationError("config/database.json: \(name) must be an integer, got \(JSONWriter.string(value))") }
                return number
            }
            guard let variable, let raw = environment[variable], !raw.isEmpty else { return nil }
            guard let number = Int(raw) else { throw ConfigurationError("\(variable) must be an integer, got \"\(raw)\"") }
            return number
        }

        var configuration = PostgresConfiguration()
        if let url = text("connectionString", "DATABASE_URL") {
            do {
                try configuration.apply(url: url)
            } catch {
                throw ConfigurationError(error.description)
            }
        }
        if let host = text("host", "DATABASE_HOST") { configuration.host = host }
        if let port = try integer(settings?["port"], "DATABASE_PORT", name: "connection.port") {
            guard (1...65535).contains(port) else { throw ConfigurationError("config/database.json: connection.port must be a port number, got \(port)") }
            configuration.port = port
        }
        if let database = text("database", "DATABASE_NAME") { configuration.database = database }
        if let user = text("user", "DATABASE_USERNAME") ?? settings?["username"]?.stringValue { configuration.username = user }
        if let password = settings?["password"]?.stringValue ?? environment["DATABASE_PASSWORD"] { configuration.password = password }
        if let schema = text("schema", "DATABASE_SCHEMA") { configuration.schema = schema }

        // `ssl` is `false`, `true` or an object whose `rejectUnauthorized` says whether to verify.
        let ssl = settings?["ssl"]
        let sslEnabled: Bool
        if let object = ssl?.objectValue {
            sslEnabled = true
            let reject = object["rejectUnauthorized"]?.configBool ?? environment["DATABASE_SSL_REJECT_UNAUTHORIZED"].flatMap { JSONValue.string($0).configBool } ?? true
            configuration.tls = .require(verify: reject)
        } else if let flag = ssl?.configBool ?? environment["DATABASE_SSL"].flatMap({ JSONValue.string($0).configBool }) {
            sslEnabled = flag
        } else {
            sslEnabled = configuration.tls != .disable
        }
        let sslObject = ssl?.objectValue
        func sslFile(_ key: String, _ variable: String) -> String? {
            let value = sslObject?[key]?.stringValue ?? environment[variable]
            return value?.isEmpty == true ? nil : value
        }
        configuration.tlsCertificateAuthority = sslFile("ca", "DATABASE_SSL_CA")
        configuration.tlsCertificate = sslFile("cert", "DATABASE_SSL_CERT")
        configuration.tlsKey = sslFile("key", "DATABASE_SSL_KEY")
        if sslEnabled, case .disable = configuration.tls {
            let reject = environment["DATABASE_SSL_REJECT_UNAUTHORIZED"].flatMap { JSONValue.string($0).configBool } ?? true
            configuration.tls = .require(verify: reject)
        } else if !sslEnabled {
            configuration.tls = .disable
        }

        let pool = root?["pool"]
        if let max = try integer(pool?["max"], "DATABASE_POOL_MAX", name: "pool.max") {
            guard max >= 1 else { throw ConfigurationError("config/database.json: pool.max must be at least 1") }
            configuration.maximumConnections = max
        }
        if let min = try integer(pool?["min"], "DATABASE_POOL_MIN", name: "pool.min") {
            guard min >= 0 else { throw ConfigurationError("config/database.json: pool.min must not be negative") }
            configuration.minimumConnections = min
        }
        if let timeout = try integer(root?["acquireConnectionTimeout"], "DATABASE_CONNECTION_TIMEOUT", name: "acquireConnectionTimeout") {
            configuration.connectTimeoutSeconds = max(1, (timeout + 999) / 1000)
            configuration.acquireTimeoutMilliseconds = max(1, timeout)
        }
        return configuration
    }
}
