import SQLKit
import StrataCore
import StrataSchema
import StrataSQL
import Testing
@testable import StrataDatabase
import StrataSQLite

/// A dialect with deliberately odd tokens, so SQL snapshots cannot pass by accident with real SQL.
struct MockDialect: DatabaseDialect {
    var name: String { "mock" }
    var identifierQuote: any SQLExpression { SQLRaw("`") }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    var supportsAutoIncrement: Bool { true }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTO") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("&\(position)") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TROO" : "FAALS") }
    func sqlType(for type: ColumnType) -> any SQLExpression { SQLRaw("\(type)") }
    func lowercased(_ expression: any SQLExpression) -> any SQLExpression { SQLFunction("LOWR", args: expression) }
    func caseSensitiveMatch(_ column: any SQLExpression, _ kind: TextMatch, _ value: any SQLExpression) -> any SQLExpression {
        SQLFunction("CSMATCH", args: column, SQLRaw("\(kind)"), value)
    }
    func primaryKeyColumn(_ name: String) -> any SQLExpression { SQLRaw(name) }
    func isCompatible(existingType: String, with type: ColumnType) -> Bool { true }
}

/// Serializes without a database.
struct MockDriver: DatabaseDriver {
    var dialect: any DatabaseDialect { MockDialect() }
    func withConnection<T: Sendable>(_ access: ConnectionAccess, _ body: @Sendable (any DatabaseConnection) async throws -> T) async throws -> T {
        throw DatabaseError(.connection, "mock")
    }
    func introspect(_ connection: any DatabaseConnection) async throws -> SchemaSnapshot { SchemaSnapshot() }
    func shutdown() async throws {}
}

@Suite("Filters to SQL (mock dialect)")
struct FilterSQLTests {
    static let metadata: StorageMetadata = {
        let registry = try! Fixtures.registry(
            Fixtures.shopAndProduct + [("api::item.item", #"""
            {"collectionName":"items","info":{"singularName":"item","pluralName":"items"},"options":{"draftAndPublish":false},
             "attributes":{"name":{"type":"string"},"rank":{"type":"integer"},"big":{"type":"biginteger"},"price":{"type":"decimal"},
               "flag":{"type":"boolean"},"day":{"type":"date"},"at":{"type":"datetime"},"secret":{"type":"password"},
               "hidden":{"type":"string","private":true},"seo":{"type":"component","component":"default.compo"}}}
            """#)],
            components: Fixtures.compo)
        return try! StorageMetadata(registry: registry)
    }()

    func sql(_ query: String, model uid: String = "api::item.item", dialect: any DatabaseDialect = MockDialect()) throws -> String {
        let model = Self.metadata.model(try UID(uid))!
        let json = JSONValue.object(QueryStringDecoder.filters(query))
        let filter = try FilterParser(metadata: Self.metadata).parse(json, model: model)
        var compiler = FilterCompiler(metadata: Self.metadata, dialect: dialect)
        let expression = try compiler.compile(filter, model: model, alias: "t0")
        let client = DatabaseClient(driver: MockDriver())
        let (text, binds) = try client.serialize(expression)
        return text + " | " + binds.map { "\($0)" }.joined(separator: ", ")
    }

    @Test("every operator", arguments: [
        ("name=x", "`t0`.`name` = &1 | text(\"x\")"),
        ("name[$eq]=x", "`t0`.`name` = &1 | text(\"x\")"),
        ("name[$eqi]=X", "LOWR(`t0`.`name`) = LOWR(&1) | text(\"X\")"),
        ("name[$ne]=x", "`t0`.`name` <> &1 | text(\"x\")"),
        ("name[$nei]=x", "LOWR(`t0`.`name`) <> LOWR(&1) | text(\"x\")"),
        ("rank[$lt]=5", "`t0`.`rank` < &1 | int(5)"),
        ("rank[$lte]=5", "`t0`.`rank` <= &1 | int(5)"),
        ("rank[$gt]=5", "`t0`.`rank` > &1 | int(5)"),
        ("rank[$gte]=5", "`t0`.`rank` >= &1 | int(5)"),
        ("rank[$in][0]=1&rank[$in][1]=2", "`t0`.`rank` IN (&1, &2) | int(1), int(2)"),
        ("rank[$in]=1", "`t0`.`rank` IN (&1) | int(1)"),
        ("rank[$notIn][0]=1", "`t0`.`rank` NOT IN (&1) | int(1)"),
        ("rank[$between][0]=1&rank[$between][1]=9", "`t0`.`rank` BETWEEN &1 AND &2 | int(1), int(9)"),
        ("name[$null]=true", "`t0`.`name` IS NULL | "),
        ("name[$null]=false", "`t0`.`name` IS NOT NULL | "),
        ("name[$null]", "`t0`.`name` IS NOT NULL | "),
        ("name[$notNull]=1", "`t0`.`name` IS NOT NULL | "),
        ("name[$contains]=a", "CSMATCH(`t0`.`name`, contains, &1) | text(\"a\")"),
        ("name[$notContains]=a", "NOT (CSMATCH(`t0`.`name`, contains, &1)) | text(\"a\")"),
        ("name[$startsWith]=a", "CSMATCH(`t0`.`name`, startsWith, &1) | text(\"a\")"),
        ("name[$endsWith]=a", "CSMATCH(`t0`.`name`, endsWith, &1) | text(\"a\")"),
        ("name[$containsi]=5%_", "LOWR(`t0`.`name`) LIKE LOWR(&1) ESCAPE '\\' | text(\"%5\\\\%\\\\_%\")"),
        ("name[$notContainsi]=a", "NOT (LOWR(`t0`.`name`) LIKE LOWR(&1) ESCAPE '\\') | text(\"%a%\")"),
        ("name[$startsWithi]=a", "LOWR(`t0`.`name`) LIKE LOWR(&1) ESCAPE '\\' | text(\"a%\")"),
        ("name[$endsWithi]=a", "LOWR(`t0`.`name`) LIKE LOWR(&1) ESCAPE '\\' | text(\"%a\")"),
    ])
    func operators(query: String, expected: String) throws {
        #expect(try sql(query) == expected)
    }

    @Test("values are cast per attribute type", arguments: [
        ("big[$gt]=345678912983", "`t0`.`big` > &1 | int(345678912983)"),
        ("price[$eq]=10.99", "`t0`.`price` = &1 | double(10.99)"),
        ("flag=t", "`t0`.`flag` = &1 | bool(true)"),
        ("flag[$in][0]=0", "`t0`.`flag` IN (&1) | bool(false)"),
        ("day[$lt]=2024-03-06", "`t0`.`day` < &1 | text(\"2024-03-06\")"),
        ("at[$gte]=2024-03-06T13:42:05.098Z", "`t0`.`at` >= &1 | timestamp(2024-03-06T13:42:05.098Z)"),
        ("id=3", "`t0`.`id` = &1 | int(3)"),
        ("documentId=abc", "`t0`.`document_id` = &1 | text(\"abc\")"),
    ])
    func casting(query: String, expected: String) throws {
        #expect(try sql(query) == expected)
    }

    /// SQLite's LIKE folds ASCII case by itself and its LOWER() folds nothing more, so Strata
    /// leaves out Strapi's two LOWER calls per row there; Postgres keeps them.
    @Test("case-insensitive matching on SQLite is a plain LIKE")
    func sqliteLike() throws {
        #expect(try sql("name[$containsi]=5%_", dialect: SQLiteDialect()) == "`t0`.`name` LIKE &1 ESCAPE '\\' | text(\"%5\\\\%\\\\_%\")")
        #expect(try sql("name[$notContainsi]=a", dialect: SQLiteDialect()) == "NOT (`t0`.`name` LIKE &1 ESCAPE '\\') | text(\"%a%\")")
    }

    @Test("logical operators nest and implicit forms expand", arguments: [
        ("$or[0][name]=a&$or[1][rank]=2", "(`t0`.`name` = &1 OR `t0`.`rank` = &2) | text(\"a\"), int(2)"),
        ("$and[0][name]=a&$and[1][rank]=2", "(`t0`.`name` = &1 AND `t0`.`rank` = &2) | text(\"a\"), int(2)"),
        ("$not[name]=a", "NOT (`t0`.`name` = &1) | text(\"a\")"),
        ("name[$not][$eq]=a", "NOT (`t0`.`name` = &1) | text(\"a\")"),
        ("rank[0]=1&rank[1]=2", "`t0`.`rank` IN (&1, &2) | int(1), int(2)"),
        ("rank[$gt][0]=1&rank[$gt][1]=2", "(`t0`.`rank` > &1 OR `t0`.`rank` > &2) | int(1), int(2)"),
        ("rank[$gte]=1&rank[$lte]=9", "(`t0`.`rank` >= &1 AND `t0`.`rank` <= &2) | int(1), int(9)"),
        ("name=a&rank=1", "(`t0`.`name` = &1 AND `t0`.`rank` = &2) | text(\"a\"), int(1)"),
        ("$or[0][$and][0][name]=a&$or[0][$and][1][rank]=1&$or[1][$not][rank]=2",
         "((`t0`.`name` = &1 AND `t0`.`rank` = &2) OR NOT (`t0`.`rank` = &3)) | text(\"a\"), int(1), int(2)"),
    ])
    func logical(query: String, expected: String) throws {
        #expect(try sql(query) == expected)
    }

    @Test("relations and components become EXISTS subqueries", arguments: [
        ("products_mm[name]=Mug",
         "EXISTS (SELECT 1 FROM `shops_products_mm_lnk` AS `j1` INNER JOIN `products` AS `t2` ON `t2`.`id` = `j1`.`product_id` WHERE `j1`.`shop_id` = `t0`.`id` AND `t2`.`name` = &1) | text(\"Mug\")"),
        ("products_om[$null]=true",
         "NOT EXISTS (SELECT 1 FROM `products_shop_om_lnk` AS `j1` INNER JOIN `products` AS `t2` ON `t2`.`id` = `j1`.`product_id` WHERE `j1`.`shop_id` = `t0`.`id`) | "),
        ("products_ow=7",
         "EXISTS (SELECT 1 FROM `shops_products_ow_lnk` AS `j1` INNER JOIN `products` AS `t2` ON `t2`.`id` = `j1`.`product_id` WHERE `j1`.`shop_id` = `t0`.`id` AND `t2`.`id` = &1) | int(7)"),
        ("myCompo[name][$eq]=c",
         "EXISTS (SELECT 1 FROM `shops_cmps` AS `j1` INNER JOIN `components_default_compos` AS `t2` ON `t2`.`id` = `j1`.`cmp_id` WHERE `j1`.`entity_id` = `t0`.`id` AND `j1`.`field` = &1 AND `j1`.`component_type` = &2 AND `t2`.`name` = &3) | text(\"myCompo\"), text(\"default.compo\"), text(\"c\")"),
    ])
    func deep(query: String, expected: String) throws {
        #expect(try sql(query, model: "api::shop.shop") == expected)
    }

    @Test("unknown, private and password keys are refused", arguments: ["nope=1", "secret=x", "hidden=x", "name[$foo]=1", "$eq=1"])
    func refused(query: String) {
        #expect(throws: ValidationError.self) { try sql(query) }
    }

    @Test("values that cannot be cast are a 400, not a 500")
    func badValues() {
        #expect(throws: ValidationError.self) { try sql("rank[$gt]=many") }
        #expect(throws: ValidationError.self) { try sql("rank[$between]=1") }
        #expect(throws: ValidationError.self) { try sql("$or=1") }
    }
}

/// The qs decoder lives in StrataHTTP; these tests only need bracket nesting of simple keys.
enum QueryStringDecoder {
    static func filters(_ query: String) -> JSONObject {
        var root = JSONObject()
        for part in query.split(separator: "&") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pieces[0])
            let value: JSONValue = pieces.count > 1 ? .string(String(pieces[1])) : .null
            var segments: [String] = []
            var current = ""
            for character in key {
                if character == "[" {
                    if !current.isEmpty || segments.isEmpty { segments.append(current) }
                    current = ""
                } else if character == "]" {
                    segments.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { segments.append(current) }
            root = insert(root, segments[...], value)
        }
        return convertArrays(.object(root)).objectValue!
    }

    static func insert(_ object: JSONObject, _ path: ArraySlice<String>, _ value: JSONValue) -> JSONObject {
        var copy = object
        let key = path.first!
        if path.count == 1 {
            copy[key] = value
        } else {
            copy[key] = .object(insert(copy[key]?.objectValue ?? [:], path.dropFirst(), value))
        }
        return copy
    }

    /// Objects keyed 0, 1, … become arrays.
    static func convertArrays(_ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        let converted = JSONObject(object.map { ($0.key, convertArrays($0.value)) })
        if !converted.isEmpty, converted.keys.enumerated().allSatisfy({ String($0.offset) == $0.element }) {
            return .array(converted.values)
        }
        return .object(converted)
    }
}
