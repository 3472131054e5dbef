public import Logging
public import StrataCore
public import StrataSQL

/// The query engine's composition root: the database client plus the storage metadata of every
/// model. Upper layers get a per-model ``EntityRepository`` from it.
public final class Database: Sendable {
    public let client: DatabaseClient
    public let metadata: StorageMetadata
    public let logger: Logger
    /// Every model's table, columns and full select list under the read alias, quoted once (see
    /// ``RenderedModel``).
    /// Keyed by model identity: hashing an object identifier is cheaper than hashing a UID.
    let renderedModels: [ObjectIdentifier: RenderedModel]
    /// Entity reads' SQL per query shape.
    let statements = StatementCache()

    public init(client: DatabaseClient, metadata: StorageMetadata, logger: Logger = Logger(label: "strata.database")) {
        self.client = client
        self.metadata = metadata
        self.logger = logger
        var rendered: [ObjectIdentifier: RenderedModel] = [:]
        for model in metadata.models.values { rendered[ObjectIdentifier(model)] = RenderedModel(model: model, client: client) }
        renderedModels = rendered
    }

    /// The quoted names of `model` (every model of the metadata has them; any other is rendered now).
    func rendered(_ model: Model) -> RenderedModel {
        renderedModels[ObjectIdentifier(model)] ?? RenderedModel(model: model, client: client)
    }

    /// The repository for a content type or component, Strapi's `db.query(uid)`.
    public func query(_ uid: UID) -> EntityRepository? {
        metadata.model(uid).map { EntityRepository(database: self, model: $0) }
    }

    /// Runs `body` in a transaction; see ``DatabaseClient/transaction(_:)``.
    public func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await client.transaction(body)
    }

    /// Refreshes the query planner's statistics of the project's tables (see
    /// ``DatabaseDialect/refreshStatisticsStatements(afterBulkWrite:tables:)``).
    public func refreshStatistics(afterBulkWrite: Bool) async throws {
        try await client.refreshStatistics(afterBulkWrite: afterBulkWrite, tables: metadata.tables.map(\.name))
    }

    /// Creates or updates tables to match the schemas (see ``SchemaSynchronizer``).
    @discardableResult
    public func synchronizeSchema(allowDestructive: Bool = false) async throws -> MigrationPlan {
        try await SchemaSynchronizer(client: client, metadata: metadata).synchronize(allowDestructive: allowDestructive, logger: logger)
    }
}
