import Testing
@testable import StrataDatabase

@Suite("Database identifiers")
struct IdentifiersTests {
    let identifiers = Identifiers()

    @Test("short names are joined with fixed short suffixes")
    func shortNames() throws {
        #expect(try identifiers.joinTableName("articles", "categories") == "articles_categories_lnk")
        #expect(try identifiers.joinTableName("shops", "products_ow") == "shops_products_ow_lnk")
        #expect(try identifiers.joinTableName("shops", "myCompo") == "shops_my_compo_lnk")
        #expect(try identifiers.morphTableName("files", "related") == "files_related_mph")
        #expect(try identifiers.componentJoinTableName("articles") == "articles_cmps")
        #expect(try identifiers.joinColumnName("article") == "article_id")
        #expect(try identifiers.inverseJoinColumnName("collector") == "inv_collector_id")
        #expect(try identifiers.orderColumnName("category") == "category_ord")
        #expect(try identifiers.inverseOrderColumnName("collector") == "inv_collector_ord")
        #expect(try identifiers.indexName(["articles", "documents"]) == "articles_documents_idx")
        #expect(try identifiers.uniqueIndexName(["articles_categories_lnk"]) == "articles_categories_lnk_uq")
        #expect(try identifiers.columnName("isChecked") == "is_checked")
    }

    @Test("names over 55 characters are shortened with SHAKE256 hashes as Strapi does")
    func shortening() throws {
        #expect(try identifiers.joinTableName("components_shared_some_long_component_name", "another_very_long_attribute_name")
            == "components_shared_soa9eca_another_very_long_at4179d_lnk")
        // The short token gives its unused share to the long one.
        #expect(try identifiers.joinTableName("short_table", "a_really_really_long_attribute_name_that_goes_on_and_on")
            == "short_table_a_really_really_long_attribute_nam906f2_lnk")
        #expect(try identifiers.tableName("an_extremely_long_collection_name_for_testing_purposes_here")
            == "an_extremely_long_collection_name_for_testing_purpe7723")
        #expect(try identifiers.tableName(String(repeating: "a", count: 55)) == String(repeating: "a", count: 55))
    }

    @Test("SHAKE256 matches FIPS 202")
    func shake() {
        #expect(Shake256.hex("", length: 64) == "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f")
        #expect(Shake256.hex("myData", length: 5) == "93da1")
        // Longer than one 136-byte block.
        #expect(Shake256.hex(String(repeating: "x", count: 300), length: 8) == "35a2940a")
    }

    @Test("names with digits are kept as given, like Strapi's i18n_locale")
    func digits() throws {
        #expect(try identifiers.tableName("i18n_locale") == "i18n_locale")
        #expect(try identifiers.uniqueIndexName(["i18n_locale", "code"]) == "i18n_locale_code_uq")
    }
}
