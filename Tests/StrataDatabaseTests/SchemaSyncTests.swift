import StrataCore
import StrataSchema
import StrataSQL
import StrataSQLite
import StrataTestDatabase
import Testing
@testable import StrataDatabase

/// One database per test: SQLite in memory, or a Postgres schema of its own.
func makeDatabase(_ registry: SchemaRegistry, driver: (any DatabaseDriver)? = nil) async throws -> Database {
    let resolved: any DatabaseDriver
    if let driver {
        resolved = driver
    } else {
        resolved = try await TestDatabase.driver()
    }
    return Database(client: DatabaseClient(driver: resolved), metadata: try StorageMetadata(registry: registry))
}

func articleRegistry(_ attributes: String) throws -> SchemaRegistry {
    try Fixtures.registry([("api::article.article", #"{"collectionName":"articles","info":{"singularName":"article","pluralName":"articles"},"options":{"draftAndPublish":false},"attributes":{\#(attributes)}}"#)])
}

@Suite("Schema synchronization")
struct SchemaSyncTests {
    @Test("creates every table, index and foreign key, then has nothing left to do")
    func createsTables() async throws {
        let database = try await makeDatabase(try Fixtures.registry(Fixtures.shopAndProduct, components: Fixtures.compo))
        let plan = try await database.synchronizeSchema()
        #expect(plan.changes.contains { if case .createTable(let table) = $0 { return table.name == "shops_products_mm_lnk" } else { return false } })
        let snapshot = try await database.client.introspect()
        #expect(Set(snapshot.tables.keys) == Set(database.metadata.tables.map(\.name)))
        #expect(snapshot.tables["shops"]?.indexes.contains { $0.name == "shops_documents_idx" } == true)
        #expect(snapshot.tables["shops_products_mm_lnk"]?.indexes.contains { $0.name == "shops_products_mm_lnk_uq" && $0.isUnique } == true)
        let again = try await SchemaSynchronizer(client: database.client, metadata: database.metadata).plan()
        #expect(again.isEmpty)
        try await database.client.shutdown()
    }

    @Test("adding an attribute adds a column and keeps the data")
    func additive() async throws {
        let driver = try await TestDatabase.driver()
        let first = try await makeDatabase(try articleRegistry(#""title":{"type":"string"}"#), driver: driver)
        try await first.synchronizeSchema()
        try await first.query(try UID("api::article.article"))!.insert([("title", .text("kept"))])
        let second = try await makeDatabase(try articleRegistry(#""title":{"type":"string"},"views":{"type":"integer"}"#), driver: driver)
        let plan = try await second.synchronizeSchema()
        #expect(plan.changes == [.addColumn(table: "articles", column: ColumnDefinition(name: "views", type: .integer))])
        let rows = try await second.query(try UID("api::article.article"))!.findMany(EntityQuery())
        #expect(rows.first?["title"] == "kept")
        #expect(rows.first?["views"] == .null)
        try await driver.shutdown()
    }

    @Test("dropping a column that holds data is refused unless allowed")
    func destructive() async throws {
        let driver = try await TestDatabase.driver()
        let first = try await makeDatabase(try articleRegistry(#""title":{"type":"string"},"body":{"type":"text"}"#), driver: driver)
        try await first.synchronizeSchema()
        try await first.query(try UID("api::article.article"))!.insert([("title", .text("t")), ("body", .text("precious"))])
        let second = try await makeDatabase(try articleRegistry(#""title":{"type":"string"}"#), driver: driver)
        await #expect(throws: DestructiveMigrationError.self) { try await second.synchronizeSchema() }
        // Nothing changed: the data is still there.
        let snapshot = try await second.client.introspect()
        #expect(snapshot.tables["articles"]?.column("body") != nil)
        try await second.synchronizeSchema(allowDestructive: true)
        #expect(try await second.client.introspect().tables["articles"]?.column("body") == nil)
        try await driver.shutdown()
    }

    @Test("empty columns are dropped or retyped without asking")
    func emptyColumns() async throws {
        let driver = try await TestDatabase.driver()
        let first = try await makeDatabase(try articleRegistry(#""title":{"type":"string"},"old":{"type":"text"},"count":{"type":"string"}"#), driver: driver)
        try await first.synchronizeSchema()
        try await first.query(try UID("api::article.article"))!.insert([("title", .text("t"))])
        let second = try await makeDatabase(try articleRegistry(#""title":{"type":"string"},"count":{"type":"integer"}"#), driver: driver)
        let plan = try await second.synchronizeSchema()
        #expect(plan.destructiveChanges.isEmpty)
        let table = try await second.client.introspect().tables["articles"]
        #expect(table?.column("old") == nil)
        #expect(table?.column("count")?.type == "integer")
        try await driver.shutdown()
    }

    @Test("retyping a column with data is refused, and converts values when allowed")
    func retype() async throws {
        let driver = try await TestDatabase.driver()
        let first = try await makeDatabase(try articleRegistry(#""rank":{"type":"string"}"#), driver: driver)
        try await first.synchronizeSchema()
        try await first.query(try UID("api::article.article"))!.insert([("rank", .text("42"))])
        let second = try await makeDatabase(try articleRegistry(#""rank":{"type":"integer"}"#), driver: driver)
        await #expect(throws: DestructiveMigrationError.self) { try await second.synchronizeSchema() }
        try await second.synchronizeSchema(allowDestructive: true)
        let rows = try await second.query(try UID("api::article.article"))!.findMany(EntityQuery())
        #expect(rows.first?["rank"] == 42)
        try await driver.shutdown()
    }

    @Test("the refusal message lists what would be lost and how to proceed")
    func message() {
        let error = DestructiveMigrationError(changes: [.dropColumn(table: "articles", column: "body", rowsWithData: 3)])
        #expect(error.description.contains("drop column articles.body (3 rows hold data)"))
        #expect(error.description.contains("--allow-destructive-migrations"))
    }
}
