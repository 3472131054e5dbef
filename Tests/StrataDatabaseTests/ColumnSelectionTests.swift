import SQLKit
import StrataCore
import StrataSQL
import Testing
@testable import StrataDatabase

@Suite("Select lists (mock dialect)")
struct ColumnSelectionTests {
    let database = Database(client: DatabaseClient(driver: MockDriver()), metadata: FilterSQLTests.metadata)

    func repository(_ uid: String = "api::item.item") throws -> EntityRepository {
        try #require(database.query(try UID(uid)))
    }

    @Test("a read without fields selects every column, rendered once in the dialect")
    func allColumns() throws {
        let selection = try repository().columnSelection(nil)
        #expect(selection.sql.sql == "`t0`.`id`, `t0`.`document_id`, `t0`.`name`, `t0`.`rank`, `t0`.`big`, `t0`.`price`, `t0`.`flag`, `t0`.`day`, `t0`.`at`, `t0`.`secret`, `t0`.`hidden`, `t0`.`created_at`, `t0`.`updated_at`, `t0`.`published_at`, `t0`.`locale`")
        #expect(selection.decoders.map(\.name) == ["id", "documentId", "name", "rank", "big", "price", "flag", "day", "at", "secret", "hidden", "createdAt", "updatedAt", "publishedAt", "locale"])
        // The kept list is the one a fresh rendering gives.
        let fresh = database.client.text(of: SQLList(try repository().selectedFields(nil).map { SQLColumn.named($0.column!.name, table: EntityRepository.alias) }))
        #expect(fresh == selection.sql.sql)
    }

    @Test("fields select the requested columns plus id and documentId, in column order")
    func requestedFields() throws {
        let selection = try repository().columnSelection(["rank", "name"])
        #expect(selection.sql.sql == "`t0`.`id`, `t0`.`document_id`, `t0`.`name`, `t0`.`rank`")
        #expect(selection.decoders.map(\.name) == ["id", "documentId", "name", "rank"])
        #expect(selection.decoders.map(\.type) == [.id, .string, .string, .integer])
    }

    @Test("a field without a column is refused")
    func unknownField() throws {
        #expect(throws: ValidationError.self) { try repository().columnSelection(["seo"]) }
    }

    @Test("rows decoded with one selection share its keys array, and the table is quoted once with the alias")
    func sharedKeys() throws {
        let selection = try repository().columnSelection(["name"])
        let names = ColumnNames(["id", "document_id", "name"])
        let rows = (1...3).map { DatabaseRow(columns: names, values: [.int(Int64($0)), .text("d\($0)"), .text("n")]) }
        let objects = rows.map { selection.decode($0) }
        #expect(objects.map { $0["id"] } == [.int(1), .int(2), .int(3)])
        #expect(objects.allSatisfy { $0.keys == ["id", "documentId", "name"] })
        objects.dropFirst().forEach { object in
            objects[0].keys.withUnsafeBufferPointer { first in
                object.keys.withUnsafeBufferPointer { #expect($0.baseAddress == first.baseAddress) }
            }
        }
        let model = try repository().model
        let rendered = try #require(database.renderedModels[ObjectIdentifier(model)])
        #expect(rendered === database.rendered(model))
        #expect(rendered.from.sql == "`items` AS `t0`")
        #expect(rendered.columns["document_id"]?.sql == "`t0`.`document_id`")
    }
}
