import Foundation
public import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
public import StrataSQL
import Synchronization

/// The PostgreSQL backend over postgres-nio's pooled client. Every instance of a deployment is
/// stateless: many Strata processes can share one database.
public final class PostgresDriver: DatabaseDriver {
    public let dialect: any DatabaseDialect = PostgresDialect()
    public let configuration: PostgresConfiguration
    let client: PostgresClient
    /// Leases asked for and not yet returned, to tell when the pool may be full.
    let leases = Atomic<Int>(0)
    private let runner: Task<Void, Never>
    let logger: Logger
    /// Cancels statements whose request ran out of time or lost its client.
    let watcher: PostgresStatementWatcher

    private init(configuration: PostgresConfiguration, client: PostgresClient, watcher: PostgresStatementWatcher, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.watcher = watcher
        watcher.start()
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        self.started = started
        runner = Task {
            signal.finish()
            await client.run()
        }
    }

    /// Ends when the pool's run task begins; leases before that make postgres-nio log a warning.
    private let started: AsyncStream<Void>

    /// Waits until the pool runs, so the first lease does not warn.
    private func waitUntilRunning() async {
        for await _ in started {}
        await Task.yield()
    }

    /// Connects once to check the settings (so a wrong password, an unknown database or an
    /// unreachable host fail here with one clear ``DatabaseError``), creates the schema when it
    /// is missing, then starts the pool.
    public static func open(_ configuration: PostgresConfiguration, logger: Logger = Logger(label: "strata.postgres")) async throws -> PostgresDriver {
        let tls = try tlsConfiguration(configuration)
        try await probe(configuration, tls: tls, logger: logger)

        var settings = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database,
            tls: tls.map { .require($0) } ?? .disable)
        settings.options.additionalStartupParameters = [("search_path", configuration.schema), ("application_name", configuration.applicationName)]
        settings.options.connectTimeout = .seconds(Int64(configuration.connectTimeoutSeconds))
        settings.options.maximumConnections = configuration.poolSize
        settings.options.minimumConnections = min(max(0, configuration.minimumConnections), settings.options.maximumConnections)
        let client = PostgresClient(configuration: settings, backgroundLogger: logger)
        let watcher = PostgresStatementWatcher(configuration: configuration, tls: tls, logger: logger)
        let driver = PostgresDriver(configuration: configuration, client: client, watcher: watcher, logger: logger)
        await driver.waitUntilRunning()
        return driver
    }

    static func tlsConfiguration(_ configuration: PostgresConfiguration) throws -> TLSConfiguration? {
        guard case .require(let verify) = configuration.tls else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if !verify { tls.certificateVerification = .none }
        if let authority = configuration.tlsCertificateAuthority {
            tls.trustRoots = .certificates(try certificates(authority, setting: "ssl.ca"))
        }
        if let chain = configuration.tlsCertificate {
            tls.certificateChain = try certificates(chain, setting: "ssl.cert").map { .certificate($0) }
        }
        if let key = configuration.tlsKey {
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try pem(key, setting: "ssl.key"), format: .pem))
            } catch let error as DatabaseError {
                throw error
            } catch {
                throw DatabaseError(.connection, "ssl.key is not a PEM private key: \(error)")
            }
        }
        return tls
    }

    /// PEM text as given, or the contents of the file it names.
    static func pem(_ value: String, setting: String) throws -> [UInt8] {
        if value.contains("-----BEGIN") { return Array(value.utf8) }
        guard let data = FileManager.default.contents(atPath: value) else {
            throw DatabaseError(.connection, "\(setting): cannot read the file \(value)")
        }
        return Array(data)
    }

    static func certificates(_ value: String, setting: String) throws -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(try pem(value, setting: setting))
            guard !certificates.isEmpty else { throw DatabaseError(.connection, "\(setting) holds no PEM certificate") }
            return certificates
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.connection, "\(setting) is not a PEM certificate: \(error)")
        }
    }

    /// One direct connection: reports connection problems precisely and prepares the schema.
    private static func probe(_ configuration: PostgresConfiguration, tls: TLSConfiguration?, logger: Logger) async throws {
        let connection = try await connectDirectly(configuration, tls: tls, logger: logger)
        do {
            try await createSchemaIfMissing(configuration.schema, on: connection, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw DatabaseError(.connection, "cannot use the schema \"\(configuration.schema)\" in PostgreSQL database \(configuration.displayName): \(PostgresErrorTranslator.reason(error))")
        }
    }

    /// A connection of its own, outside the pool.
    static func connectDirectly(_ configuration: PostgresConfiguration, tls: TLSConfiguration?, logger: Logger) async throws -> PostgresConnection {
        let connectionTLS: PostgresConnection.Configuration.TLS
        if let tls {
            do {
                connectionTLS = .require(try NIOSSLContext(configuration: tls))
            } catch {
                throw DatabaseError(.connection, "cannot set up TLS for PostgreSQL: \(error)")
            }
        } else {
            connectionTLS = .disable
        }
        var settings = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: connectionTLS)
        settings.options.connectTimeout = .seconds(Int64(configuration.connectTimeoutSeconds))
        settings.options.additionalStartupParameters = [("application_name", configuration.applicationName)]
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: settings, id: 0, logger: logger)
        } catch {
            throw DatabaseError(.connection, "cannot connect to PostgreSQL at \(configuration.displayName) as \(configuration.username): \(PostgresErrorTranslator.reason(error))")
        }
        return connection
    }

    /// `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent twin (both pass the check,
    /// one fails on the catalogue's unique index), so instances take a lock for it. An existing
    /// schema needs no CREATE privilege.
    private static func createSchemaIfMissing(_ schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        var binds = PostgresBindings()
        binds.append(UntypedText(schema))
        let exists = PostgresQuery(unsafeSQL: "SELECT 1 FROM pg_namespace WHERE nspname = $1", binds: binds)
        if try await connection.query(exists, logger: logger).collect().isEmpty == false { return }
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('strata:create-schema'))", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(PostgresDialect.quoted(schema))"), logger: logger)
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    public func withConnection<T: Sendable>(
        _ access: ConnectionAccess,
        _ body: @Sendable (any DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await lease { [logger, watcher] connection in
            try await body(PostgresDatabaseConnection(connection: connection, logger: logger, watcher: watcher))
        }
    }

    /// A session advisory lock keyed by the schema, held on its own connection while `body`
    /// runs: two instances starting on one empty database sync and seed one after the other.
    public func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await lease { [logger, watcher] connection in
            let locked = PostgresDatabaseConnection(connection: connection, logger: logger, watcher: watcher)
            let key = "SELECT pg_advisory_lock(hashtext('strata:' || current_schema()))"
            let unlock = "SELECT pg_advisory_unlock(hashtext('strata:' || current_schema()))"
            _ = try await locked.query(key, [])
            do {
                let result = try await body()
                _ = try await locked.query(unlock, [])
                return result
            } catch {
                _ = try? await locked.query(unlock, [])
                throw error
            }
        }
    }

    public func introspect(_ connection: any DatabaseConnection) async throws -> SchemaSnapshot {
        try await PostgresIntrospector(connection: connection).snapshot()
    }

    public func translate(_ error: any Error) -> any Error {
        PostgresErrorTranslator.translate(error)
    }

    public func shutdown() async throws {
        await watcher.shutdown()
        runner.cancel()
        await runner.value
    }
}

/// One leased postgres-nio connection speaking Strata's value types.
struct PostgresDatabaseConnection: DatabaseConnection {
    let connection: PostgresConnection
    let logger: Logger
    let watcher: PostgresStatementWatcher

    func query(_ sql: String, _ binds: [DatabaseValue]) async throws -> [DatabaseRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds { PostgresValues.append(value, to: &bindings) }
        return try await watcher.run(sql, on: connection, logger: logger) { try await rows(sql, bindings) }
    }

    private func rows(_ sql: String, _ bindings: PostgresBindings) async throws -> [DatabaseRow] {
        let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var names: ColumnNames?
        var rows: [DatabaseRow] = []
        for try await row in sequence {
            let columns = names ?? ColumnNames(row.map(\.columnName))
            names = columns
            var values: [DatabaseValue] = []
            values.reserveCapacity(columns.names.count)
            for cell in row { values.append(try PostgresValues.value(of: cell)) }
            rows.append(DatabaseRow(columns: columns, values: values))
        }
        return rows
    }
}
