import StrataCore
import StrataSchema
import Testing
@testable import StrataDatabase

/// Schemas of Strapi's own relation tests (content-api.md §8.2), reused across database tests.
enum Fixtures {
    static func registry(_ types: [(String, String)], components: [(String, String)] = []) throws -> SchemaRegistry {
        let parser = SchemaParser()
        let contentTypes = try types.map { try parser.contentType(uid: try UID($0.0), json: try JSONParser.parse($0.1)) }
        let parsedComponents = try components.map { try parser.component(uid: try UID($0.0), json: try JSONParser.parse($0.1)) }
        return try SchemaRegistry(contentTypes: contentTypes, components: parsedComponents)
    }

    static let shopAndProduct: [(String, String)] = [
        ("api::product.product", #"""
        {"collectionName":"products","info":{"singularName":"product","pluralName":"products"},"options":{"draftAndPublish":false},
         "attributes":{"name":{"type":"string"},
           "shop":{"type":"relation","relation":"oneToOne","target":"api::shop.shop","mappedBy":"products_oo"},
           "shops_mo":{"type":"relation","relation":"oneToMany","target":"api::shop.shop","mappedBy":"products_mo"},
           "shop_om":{"type":"relation","relation":"manyToOne","target":"api::shop.shop","inversedBy":"products_om"},
           "shops":{"type":"relation","relation":"manyToMany","target":"api::shop.shop","mappedBy":"products_mm"}}}
        """#),
        ("api::shop.shop", #"""
        {"collectionName":"shops","info":{"singularName":"shop","pluralName":"shops"},"options":{"draftAndPublish":false},
         "attributes":{"name":{"type":"string"},
           "products_ow":{"type":"relation","relation":"oneToOne","target":"api::product.product"},
           "products_oo":{"type":"relation","relation":"oneToOne","target":"api::product.product","inversedBy":"shop"},
           "products_mo":{"type":"relation","relation":"manyToOne","target":"api::product.product","inversedBy":"shops_mo"},
           "products_om":{"type":"relation","relation":"oneToMany","target":"api::product.product","mappedBy":"shop_om"},
           "products_mm":{"type":"relation","relation":"manyToMany","target":"api::product.product","inversedBy":"shops"},
           "products_mw":{"type":"relation","relation":"oneToMany","target":"api::product.product"},
           "myCompo":{"type":"component","component":"default.compo"}}}
        """#),
        ("api::collector.collector", #"""
        {"collectionName":"collectors","info":{"singularName":"collector","pluralName":"collectors"},"options":{"draftAndPublish":false},
         "attributes":{"name":{"type":"string"},"age":{"type":"integer"},
           "collector_friends":{"type":"relation","relation":"oneToMany","target":"api::collector.collector"},
           "friends_mm":{"type":"relation","relation":"manyToMany","target":"api::collector.collector"}}}
        """#),
    ]

    static let compo: [(String, String)] = [
        ("default.compo", #"""
        {"collectionName":"components_default_compos","attributes":{"name":{"type":"string"},
           "compo_products_ow":{"type":"relation","relation":"oneToOne","target":"api::product.product"},
           "compo_products_mw":{"type":"relation","relation":"oneToMany","target":"api::product.product"}}}
        """#),
    ]
}

@Suite("Storage metadata")
struct MetadataTests {
    func metadata() throws -> StorageMetadata {
        try StorageMetadata(registry: try Fixtures.registry(Fixtures.shopAndProduct, components: Fixtures.compo))
    }

    func columns(_ table: TableDefinition?) -> [String] { table?.columns.map(\.name) ?? [] }

    @Test("content type tables have Strapi's system columns and documents index")
    func contentTypeTable() throws {
        let shops = try metadata().table("shops")
        #expect(columns(shops) == ["id", "document_id", "name", "created_at", "updated_at", "published_at", "created_by_id", "updated_by_id", "locale"])
        #expect(shops?.indexes.first == IndexDefinition(name: "shops_documents_idx", columns: ["document_id", "locale", "published_at"]))
        #expect(shops?.indexes.contains(IndexDefinition(name: "shops_created_by_id_fk", columns: ["created_by_id"])) == true)
    }

    @Test("link tables follow Strapi's layout for every relation kind", arguments: [
        ("shops_products_ow_lnk", ["id", "shop_id", "product_id"]),
        ("shops_products_oo_lnk", ["id", "shop_id", "product_id"]),
        ("shops_products_mo_lnk", ["id", "shop_id", "product_id", "shop_ord"]),
        ("products_shop_om_lnk", ["id", "product_id", "shop_id", "product_ord"]),
        ("shops_products_mm_lnk", ["id", "shop_id", "product_id", "product_ord", "shop_ord"]),
        ("shops_products_mw_lnk", ["id", "shop_id", "product_id", "product_ord"]),
        ("collectors_collector_friends_lnk", ["id", "collector_id", "inv_collector_id", "collector_ord"]),
        ("collectors_friends_mm_lnk", ["id", "collector_id", "inv_collector_id", "collector_ord"]),
        ("components_default_compos_compo_products_ow_lnk", ["id", "compo_id", "product_id"]),
    ])
    func linkTables(name: String, expected: [String]) throws {
        let metadata = try metadata()
        #expect(columns(metadata.table(name)) == expected)
    }

    @Test("link table indexes and foreign keys")
    func linkIndexes() throws {
        let table = try #require(try metadata().table("shops_products_mm_lnk"))
        #expect(table.indexes.map(\.name) == ["shops_products_mm_lnk_fk", "shops_products_mm_lnk_ifk", "shops_products_mm_lnk_uq", "shops_products_mm_lnk_ofk", "shops_products_mm_lnk_oifk"])
        #expect(table.indexes[2].isUnique && table.indexes[2].columns == ["shop_id", "product_id"])
        #expect(table.foreignKeys.map(\.referencedTable) == ["shops", "products"])
        #expect(table.foreignKeys.allSatisfy { $0.onDelete == .cascade })
    }

    @Test("inverse sides read the owner's table with columns swapped")
    func inverseSides() throws {
        let product = try #require(try metadata().model(try UID("api::product.product")))
        guard case .joinTable(let joinTable, _, _, let isOwner) = product.field("shops")?.storage else {
            Issue.record("shops is not a join table relation"); return
        }
        #expect(!isOwner)
        #expect(joinTable == JoinTable(name: "shops_products_mm_lnk", joinColumn: "product_id", inverseJoinColumn: "shop_id", orderColumn: "shop_ord", inverseOrderColumn: "product_ord"))
        guard case .joinTable(let oneToMany, _, _, _) = try metadata().model(try UID("api::shop.shop"))?.field("products_om")?.storage else {
            Issue.record("products_om is not a join table relation"); return
        }
        #expect(oneToMany == JoinTable(name: "products_shop_om_lnk", joinColumn: "shop_id", inverseJoinColumn: "product_id", orderColumn: "product_ord", inverseOrderColumn: nil))
    }

    @Test("component link tables")
    func componentTables() throws {
        let table = try #require(try metadata().table("shops_cmps"))
        #expect(columns(table) == ["id", "entity_id", "cmp_id", "component_type", "field", "order"])
        #expect(table.indexes.map(\.name) == ["shops_field_idx", "shops_component_type_idx", "shops_entity_fk", "shops_uq"])
        #expect(columns(try metadata().table("components_default_compos")) == ["id", "name"])
    }
}
