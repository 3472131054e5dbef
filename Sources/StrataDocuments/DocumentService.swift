public import Logging
public import StrataCore
public import StrataDatabase
public import StrataSchema
import StrataSQL

/// The Document Service: Strapi's `strapi.documents(uid)`, the one code path REST, GraphQL,
/// the CLI and data transfer all use to read and write content.
///
/// It owns what makes rows into documents: `documentId`, one row per document × locale ×
/// publication state, timestamps, validation, and password hashing.
public final class DocumentService: Sendable {
    public let database: Database
    public let registry: SchemaRegistry
    public let documentIDs: any DocumentIDGenerator
    public let clock: any WallClock
    public let locales: any LocaleProvider
    public let logger: Logger
    private let middlewares = LockedValue<[DocumentMiddleware]>([])
    private let subscribers = LockedValue<[@Sendable (DocumentEvent) async -> Void]>([])

    public init(
        database: Database,
        documentIDs: any DocumentIDGenerator = RandomDocumentIDGenerator(),
        clock: any WallClock = SystemWallClock(),
        locales: any LocaleProvider = StaticLocaleProvider(),
        logger: Logger = Logger(label: "strata.documents")
    ) {
        self.database = database
        self.registry = database.metadata.registry
        self.documentIDs = documentIDs
        self.clock = clock
        self.locales = locales
        self.logger = logger
    }

    /// Adds a middleware around every Document Service call (Strapi's `strapi.documents.use`).
    public func use(_ middleware: @escaping DocumentMiddleware) {
        middlewares.withLock { $0.append(middleware) }
    }

    /// Subscribes to document events; handlers run after the causing transaction commits.
    public func onEvent(_ handler: @escaping @Sendable (DocumentEvent) async -> Void) {
        subscribers.withLock { $0.append(handler) }
    }

    /// Runs `body` through the middleware chain (inside one transaction for writes).
    ///
    /// `body` does not escape (so its context is not allocated per call): the chain that
    /// captures it, built only when there are middlewares, lives no longer than this call.
    func run(_ context: DocumentContext, _ body: @Sendable (DocumentContext) async throws -> DocumentResult) async throws -> DocumentResult {
        let middlewares = middlewares.value
        if middlewares.isEmpty {
            if context.action.isWrite {
                return try await transaction { try await body(context) }
            }
            return try await body(context)
        }
        return try await withoutActuallyEscaping(body) { body in
            let chain = middlewares.reversed().reduce(body) { next, middleware in
                { @Sendable context in try await middleware(context, next) }
            }
            if context.action.isWrite {
                return try await transaction { try await chain(context) }
            }
            return try await chain(context)
        }
    }

    /// Queues an event for delivery after the current transaction commits.
    func emit(_ event: DocumentEvent) async {
        let handlers = subscribers.value
        guard !handlers.isEmpty else { return }
        await database.client.onCommit {
            for handler in handlers { await handler(event) }
        }
    }

    /// The repository of documents of one content type; throws `NotFoundError` for unknown uids.
    public func callAsFunction(_ uid: UID) throws -> DocumentRepository {
        guard let type = registry.contentType(uid), let entities = database.query(uid) else {
            throw NotFoundError("Content type \(uid) not found")
        }
        return DocumentRepository(service: self, contentType: type, entities: entities)
    }
}

/// Supplies the default locale (the i18n plugin's, `en` on a new project).
public protocol LocaleProvider: Sendable {
    func defaultLocale() async throws -> String
    /// Whether `code` is a configured locale.
    func isKnown(_ code: String) async throws -> Bool
}

/// A fixed default locale, for projects without locale data.
public struct StaticLocaleProvider: LocaleProvider {
    public let code: String

    public init(code: String = "en") {
        self.code = code
    }

    public func defaultLocale() async throws -> String { code }
    public func isKnown(_ code: String) async throws -> Bool { code == self.code }
}
