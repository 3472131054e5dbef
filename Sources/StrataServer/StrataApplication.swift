import Foundation
public import Hummingbird
public import Logging
public import StrataContentAPI
public import StrataCore
public import StrataDatabase
public import StrataDocuments
public import StrataHTTP
import StrataSQL
import StrataSQLite

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
    public let logger: Logger

    /// Options that are not part of the project's configuration.
    public struct Options: Sendable {
        public var allowDestructiveMigrations: Bool
        public var documentIDs: any DocumentIDGenerator
        public var clock: any WallClock
        /// Replaces the configured database file (tests use `:memory:`).
        public var databaseFilename: String?

        public init(allowDestructiveMigrations: Bool = false, documentIDs: any DocumentIDGenerator = RandomDocumentIDGenerator(), clock: any WallClock = SystemWallClock(), databaseFilename: String? = nil) {
            self.allowDestructiveMigrations = allowDestructiveMigrations
            self.documentIDs = documentIDs
            self.clock = clock
            self.databaseFilename = databaseFilename
        }
    }

    /// Opens the database, synchronizes its schema and wires the services.
    public static func boot(project: StrataProject, options: Options = Options(), logger: Logger = Logger(label: "strata")) async throws -> StrataApplication {
        let metadata = try StorageMetadata(registry: project.registry)
        let filename = options.databaseFilename ?? project.configuration.database.filename
        let driver = try await SQLiteDriver.open(SQLiteConfiguration(storage: filename == ":memory:" ? .memory : .file(filename)), logger: logger)
        let client = DatabaseClient(driver: driver, logger: logger)
        let database = Database(client: client, metadata: metadata, logger: logger)
        do {
            try await database.synchronizeSchema(allowDestructive: options.allowDestructiveMigrations || project.configuration.database.allowDestructiveMigrations)
        } catch {
            try? await client.shutdown()
            throw error
        }
        // Locale rows use their own ids and clock so injected generators stay predictable for content.
        let locales = LocaleService(database: database)
        try await locales.bootstrap()
        let documents = DocumentService(database: database, documentIDs: options.documentIDs, clock: options.clock, locales: locales, logger: logger)
        let contentAPI = ContentAPI(documents: documents, configuration: project.configuration.api)
        return StrataApplication(project: project, database: database, documents: documents, locales: locales, contentAPI: contentAPI, logger: logger)
    }

    init(project: StrataProject, database: Database, documents: DocumentService, locales: LocaleService, contentAPI: ContentAPI, logger: Logger) {
        self.project = project
        self.database = database
        self.documents = documents
        self.locales = locales
        self.contentAPI = contentAPI
        self.logger = logger
    }

    /// The router with every route and middleware.
    public func router(logRequests: Bool = true) -> Router<StrataRequestContext> {
        let router = Router(context: StrataRequestContext.self)
        // Logging wraps error rendering so failed requests are logged with their final status.
        if logRequests { router.add(middleware: RequestLogMiddleware()) }
        router.add(middleware: StrapiErrorMiddleware())
        router.add(middleware: RequestLimitsMiddleware(maxBodySize: project.configuration.server.maxBodySize))
        router.add(middleware: PublicFilesMiddleware(directory: project.publicDirectory, skippedPrefixes: [contentAPI.configuration.prefix, "/_health", "/admin"]))
        router.get("/_health") { _, _ in Response(status: .noContent, headers: [.init("strapi")!: "You are so French!"]) }
        contentAPI.register(on: router)
        return router
    }

    /// A Hummingbird application serving this Strata on the configured host and port.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let server = project.configuration.server
        return Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(server.host, port: server.port), serverName: "Strata"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? server.port) },
            logger: logger
        )
    }

    /// Closes the database.
    public func shutdown() async throws {
        try await database.client.shutdown()
    }
}
