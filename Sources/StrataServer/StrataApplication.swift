import Foundation
public import Hummingbird
import HummingbirdCore
public import Logging
public import StrataContentAPI
public import StrataCore
public import StrataAccess
public import StrataDatabase
public import StrataDocuments
public import StrataHTTP
package import StrataModule
package import StrataOperations
import StrataSQL
import StrataSQLite
public import StrataPostgres
public import StrataUsersPermissions
public import StrataUpload
import StrataUploadAPI
public import StrataWebhooks

/// A booted Strata: database open and in sync with the schemas, services wired, routes built.
///
/// The composition root; there is no global application object.
public final class StrataApplication: Sendable {
    public let project: StrataProject
    public let database: Database
    public let documents: DocumentService
    public let contentAPI: ContentAPI
    /// The i18n plugin's locales.
    public let locales: LocaleService
    /// Users & Permissions: users, roles, auth routes.
    public let usersPermissions: UsersPermissionsPlugin
    /// API tokens.
    public let tokens: APITokenService
    /// The Media Library (upload plugin).
    public let upload: UploadService
    let uploadAPI: UploadAPI
    /// Webhooks, called after document and media events.
    public let webhooks: WebhookService
    /// The modules: the core Content API and the built-in plugins, in registration order.
    package let modules: ModuleRegistry
    /// Every permission action (Content API routes and plugin routes).
    public var knownActions: Set<String> { modules.actions }
    let authenticator: any RequestAuthenticator
    public let logger: Logger
    /// The connections served, watched for clients that leave mid-request.
    let connections = ConnectionMonitors()

    /// Options that are not part of the project's configuration.
    public struct Options: Sendable {
        public var allowDestructiveMigrations: Bool
        public var documentIDs: any DocumentIDGenerator
        public var clock: any WallClock
        /// Replaces the configured database with this SQLite file (tests use `:memory:`).
        public var databaseFilename: String?
        /// Replaces the configured database with this PostgreSQL database.
        public var postgres: PostgresConfiguration?
        /// Skips authentication and permissions (Strapi's test harness does the same).
        public var openAccess: Bool
        /// Where Users & Permissions emails go; the log by default.
        public var email: (any EmailProvider)?
        /// Replaces the upload provider `config/plugins.json` chooses.
        public var uploadProvider: (any UploadProvider)?

        public init(
            allowDestructiveMigrations: Bool = false,
            documentIDs: any DocumentIDGenerator = RandomDocumentIDGenerator(),
            clock: any WallClock = SystemWallClock(),
            databaseFilename: String? = nil,
            postgres: PostgresConfiguration? = nil,
            openAccess: Bool = false,
            email: (any EmailProvider)? = nil,
            uploadProvider: (any UploadProvider)? = nil
        ) {
            self.allowDestructiveMigrations = allowDestructiveMigrations
            self.documentIDs = documentIDs
            self.clock = clock
            self.databaseFilename = databaseFilename
            self.postgres = postgres
            self.openAccess = openAccess
            self.email = email
            self.uploadProvider = uploadProvider
        }
    }

    /// Opens the database, synchronizes its schema and wires the services.
    public static func boot(project: StrataProject, options: Options = Options(), logger: Logger = Logger(label: "strata")) async throws -> StrataApplication {
        var storage = try StorageMetadata(registry: project.registry)
        storage.privateAttributes = Set(project.configuration.api.privateAttributes)
        let metadata = storage
        let client = DatabaseClient(driver: try await openDriver(project.configuration.database, options: options, logger: logger), logger: logger)
        do {
            return try await client.withStartupLock {
                try await boot(project: project, client: client, metadata: metadata, options: options, logger: logger)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The configured database's driver, or the one `options` substitutes.
    static func openDriver(_ database: StrataConfiguration.Database, options: Options, logger: Logger) async throws -> any DatabaseDriver {
        if let postgres = options.postgres ?? (options.databaseFilename == nil ? database.postgres : nil) {
            return try await PostgresDriver.open(postgres, logger: logger)
        }
        let filename = options.databaseFilename ?? database.filename
        return try await SQLiteDriver.open(SQLiteConfiguration(storage: filename == ":memory:" ? .memory : .file(filename)))
    }

    /// Start-up work on an open database, under the start-up lock: schema sync, seeding, wiring.
    private static func boot(
        project: StrataProject, client: DatabaseClient, metadata: StorageMetadata, options: Options, logger: Logger
    ) async throws -> StrataApplication {
        let database = Database(client: client, metadata: metadata, logger: logger)
        // Like Strapi, a project always has `public/uploads`, where the local upload provider and imports write.
        try? FileManager.default.createDirectory(atPath: project.publicDirectory + "/uploads", withIntermediateDirectories: true)
        try await database.synchronizeSchema(allowDestructive: options.allowDestructiveMigrations || project.configuration.database.allowDestructiveMigrations)
        try await database.refreshStatistics(afterBulkWrite: false)
        // Locale rows use their own ids and clock so injected generators stay predictable for content.
        let locales = LocaleService(database: database)
        let documents = DocumentService(database: database, documentIDs: options.documentIDs, clock: options.clock, locales: locales, logger: logger)

        let secrets = ProjectSecrets(directory: project.directory, environment: project.environment)
        // Users, roles and tokens are Strata's own data: they use their own ids and clock, so the
        // generators injected for content stay predictable.
        let system = DocumentService(database: database, locales: locales, logger: logger)
        let permissions = PermissionService(documents: system)
        let users = UserService(documents: system, permissions: permissions)
        let salt = try secrets.value(configured: project.files.value("admin", "apiToken", "salt")?.stringValue, variable: "API_TOKEN_SALT")
        let tokens = APITokenService(documents: system, salt: salt)
        let authorizer = ContentAPIAuthorizer(permissions: permissions, tokens: tokens)
        let pluginConfig = project.files.value("plugins", "users-permissions", "config")
        var configuration = try UsersPermissionsConfiguration(plugin: pluginConfig)
        configuration.jwtSecret = try secrets.value(configured: pluginConfig?["jwtSecret"]?.stringValue, variable: "JWT_SECRET")
        let server = project.configuration.server
        configuration.serverURL = project.files.value("server", "url")?.stringValue ?? "http://\(server.host == "0.0.0.0" ? "localhost" : server.host):\(server.port)"
        let emailLogger = logger
        let usersPermissions = UsersPermissionsPlugin(
            documents: system, users: users, permissions: permissions, authorizer: authorizer, configuration: configuration,
            email: options.email ?? LogEmailProvider { emailLogger.info("\($0)") }, privateAttributes: project.configuration.api.privateAttributes)
        let operations = ContentOperations(
            documents: documents, configuration: project.configuration.api,
            access: AuthorizerAccessPolicy(authorizer: options.openAccess ? UnrestrictedAuthorizer() : authorizer, registry: documents.registry))
        let contentAPI = ContentAPI(operations: operations)
        let uploadConfiguration = try UploadConfiguration(plugin: project.files.value("plugins", "upload", "config"))
        let upload = UploadService(
            documents: system, provider: try options.uploadProvider ?? project.uploadProvider(uploadConfiguration),
            configuration: uploadConfiguration, privateAttributes: project.configuration.api.privateAttributes, logger: logger)
        let uploadAPI = UploadAPI(service: upload, operations: operations)
        let defaultHeaders = project.files.value("server", "webhooks", "defaultHeaders")?.objectValue?
            .compactMap { name, value in value.stringValue.map { (name: name, value: $0) } } ?? []
        let webhooks = WebhookService(
            documents: documents, runner: WebhookRunner(defaultHeaders: defaultHeaders, clock: options.clock, logger: logger),
            privateAttributes: project.configuration.api.privateAttributes, logger: logger)
        // Boot is a fold over the modules: their routes make the permission catalogue, what they
        // install runs below HTTP, and they start in this order (and stop in reverse).
        let modules = ModuleRegistry([
            I18nModule(locales: locales), contentAPI, usersPermissions, uploadAPI, WebhooksModule(webhooks: webhooks, upload: upload),
        ])
        modules.install(on: documents)
        try await modules.bootstrap(logger: logger)
        let authenticator: any RequestAuthenticator = options.openAccess
            ? UnrestrictedAuthenticator()
            : UsersPermissionsAuthenticator(tokens: tokens, users: users, authorizer: authorizer, jwt: usersPermissions.jwt, clock: options.clock)
        return StrataApplication(
            project: project, database: database, documents: documents, locales: locales, contentAPI: contentAPI,
            usersPermissions: usersPermissions, tokens: tokens, upload: upload, uploadAPI: uploadAPI, webhooks: webhooks,
            modules: modules, authenticator: authenticator, logger: logger)
    }

    init(
        project: StrataProject, database: Database, documents: DocumentService, locales: LocaleService, contentAPI: ContentAPI,
        usersPermissions: UsersPermissionsPlugin, tokens: APITokenService, upload: UploadService, uploadAPI: UploadAPI,
        webhooks: WebhookService, modules: ModuleRegistry, authenticator: any RequestAuthenticator, logger: Logger
    ) {
        self.webhooks = webhooks
        self.upload = upload
        self.uploadAPI = uploadAPI
        self.project = project
        self.database = database
        self.documents = documents
        self.locales = locales
        self.usersPermissions = usersPermissions
        self.tokens = tokens
        self.modules = modules
        self.authenticator = authenticator
        self.contentAPI = contentAPI
        self.logger = logger
    }

    /// The router with every route and middleware.
    public func router(logRequests: Bool = true) -> Router<StrataRequestContext> {
        let router = Router(context: StrataRequestContext.self)
        // One stack built by the result builder: the middlewares call each other directly instead of
        // through a responder closure each (five async frames per middleware and request).
        // Logging wraps error rendering so failed requests are logged with their final status.
        let maxBodySize = project.configuration.server.maxBodySize
        let publicFiles = PublicFilesMiddleware(directory: project.publicDirectory, skippedPrefixes: [contentAPI.configuration.prefix, "/_health", "/admin"], logger: logger)
        let requestTimeout = project.configuration.server.requestTimeout
        let middlewares = project.configuration.middlewares
        let proxy = project.configuration.server.proxy.map { ProxyHeadersMiddleware(header: $0.ipHeader, maxIpsCount: $0.maxIpsCount) }
        let favicon = middlewares.favicon.map { FaviconMiddleware(projectDirectory: project.directory, path: $0) }
        // Strapi's order: security and CORS headers are set before the error handler renders a
        // failure, so errors carry them too; X-Powered-By only reaches responses that succeeded.
        router.addMiddleware {
            PathNormalizationMiddleware()
            if let proxy { proxy }
            if logRequests { RequestLogMiddleware() }
            if middlewares.responseTime { ResponseTimeMiddleware() }
            if let threshold = middlewares.compressionThreshold { CompressionMiddleware(threshold: threshold) }
            if let security = middlewares.security { SecurityHeadersMiddleware(headers: security) }
            if let cors = middlewares.cors { CORSMiddleware(options: cors) }
            StrapiErrorMiddleware()
            if let ipFilter = middlewares.ipFilter { ipFilter }
            if let poweredBy = middlewares.poweredBy { PoweredByMiddleware(value: poweredBy) }
            RequestBudgetMiddleware(limit: requestTimeout, connections: connections)
            RequestLimitsMiddleware(maxBodySize: maxBodySize, jsonLimit: middlewares.jsonLimit, formLimit: middlewares.formLimit)
            if let favicon { favicon }
            publicFiles
        }
        router.get("/_health") { _, _ in Response(status: .noContent, headers: [.init("strapi")!: "You are so French!"]) }
        let api = router.group(RouterPath(contentAPI.configuration.prefix)).add(middleware: AuthenticationMiddleware(authenticator: authenticator))
        modules.register(on: api)
        return router
    }

    /// A Hummingbird application serving this Strata on the configured host and port.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let server = project.configuration.server
        return Application(
            // Request lines are logged at `info`; below that level the middleware would only cost time.
            router: router(logRequests: logger.logLevel <= .info),
            // Each connection reports its client leaving, so abandoned requests stop their work.
            server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [self.connections.handler()])),
            configuration: ApplicationConfiguration(address: .hostname(server.host, port: server.port), serverName: "Strata"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? server.port) },
            logger: logger
        )
    }

    /// Every route as `routes:list` shows it: the modules' under the API prefix, and the health check.
    package var routeDescriptions: [RouteDescription] {
        modules.routeDescriptions(prefix: contentAPI.configuration.prefix) + [RouteDescription(method: "GET", path: "/_health", action: "strapi::health")]
    }

    /// Stops the modules in reverse order (queued webhook calls are delivered), then closes the database.
    public func shutdown() async throws {
        await modules.destroy(logger: logger)
        try await database.client.shutdown()
    }
}
