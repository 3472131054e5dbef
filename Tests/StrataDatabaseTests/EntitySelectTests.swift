import SQLKit
import StrataCore
import StrataSQL
import Testing
@testable import StrataDatabase

@Suite("Entity reads to SQL (mock dialect)")
struct EntitySelectTests {
    let database = Database(client: DatabaseClient(driver: MockDriver()), metadata: FilterSQLTests.metadata)

    func repository() throws -> EntityRepository {
        try #require(database.query(try UID("api::item.item")))
    }

    func sql(_ query: EntityQuery) throws -> String {
        let (select, _) = try repository().selectStatement(query)
        let (text, binds) = try database.client.serialize(select)
        return text + " | " + binds.map { "\($0)" }.joined(separator: ", ")
    }

    /// What SQLKit's `SQLSelect` writes for the same parts: the statement text must not change.
    func sqlKitText(_ query: EntityQuery) throws -> String {
        let repository = try repository()
        let (entitySelect, _) = try repository.selectStatement(query)
        var select = SQLSelect()
        select.columns = [entitySelect.columns]
        select.tables = [SQLAlias(SQLName(repository.model.tableName), as: SQLName(EntityRepository.alias))]
        select.predicate = entitySelect.predicate
        select.orderBy = entitySelect.orderBy
        select.limit = entitySelect.limit
        select.offset = entitySelect.offset
        let (text, binds) = try database.client.serialize(select)
        return text + " | " + binds.map { "\($0)" }.joined(separator: ", ")
    }

    static let columns = "`t0`.`id`, `t0`.`document_id`, `t0`.`name`, `t0`.`rank`, `t0`.`big`, `t0`.`price`, `t0`.`flag`, `t0`.`day`, `t0`.`at`, `t0`.`secret`, `t0`.`hidden`, `t0`.`created_at`, `t0`.`updated_at`, `t0`.`published_at`, `t0`.`locale`"

    @Test("a list: filter, the id tiebreaker after the sort, limit and offset")
    func list() throws {
        let query = EntityQuery(filter: .equals("name", "a").and(.field("rank", .operator(.gt, 2))), sort: [SortField(["rank"], .desc)], limit: 25, offset: 50)
        #expect(try sql(query) == "SELECT \(Self.columns) FROM `items` AS `t0` WHERE (`t0`.`name` = &1 AND `t0`.`rank` > &2) ORDER BY `t0`.`rank` DESC, `t0`.`id` ASC LIMIT 25 OFFSET 50 | text(\"a\"), int(2)")
    }

    @Test("a read of at most one row has no tiebreaker; a requested sort stays")
    func singleRow() throws {
        var query = EntityQuery(filter: .equals("documentId", "abc"), limit: 1, fields: ["name"])
        query.atMostOneRow = true
        #expect(try sql(query) == "SELECT `t0`.`id`, `t0`.`document_id`, `t0`.`name` FROM `items` AS `t0` WHERE `t0`.`document_id` = &1 LIMIT 1 | text(\"abc\")")
        query.sort = [SortField(["name"])]
        #expect(try sql(query).contains("ORDER BY `t0`.`name` ASC LIMIT 1"))
        query.atMostOneRow = false
        #expect(try sql(query).contains("ORDER BY `t0`.`name` ASC, `t0`.`id` ASC LIMIT 1"))
    }

    @Test("the same text as SQLKit's SELECT, whatever the clauses")
    func sameAsSQLKit() throws {
        let queries = [
            EntityQuery(),
            EntityQuery(offset: 10),
            EntityQuery(filter: .or([.equals("name", "x"), .field("flag", .operator(.null, true))]), search: "7"),
            EntityQuery(sort: [SortField(["name"]), SortField(["id"], .desc)], limit: 3, fields: ["rank"]),
        ]
        for query in queries {
            #expect(try sql(query) == sqlKitText(query))
        }
        // An offset without a limit takes the largest limit (SQLite needs one).
        #expect(try sql(queries[1]).hasSuffix(" ORDER BY `t0`.`id` ASC LIMIT \(Int64.max) OFFSET 10 | "))
    }

    @Test("a kept statement gives the SQL and binds of compiling the read afresh, for reads of one shape with other values")
    func keptStatements() throws {
        let repository = try repository()
        func fresh(_ query: EntityQuery) throws -> String {
            let (select, _) = try repository.selectStatement(query)
            let (text, binds) = try database.client.serialize(select)
            return text + " | " + binds.map { "\($0)" }.joined(separator: ", ")
        }
        func kept(_ query: EntityQuery) throws -> String {
            let (text, binds, _) = try repository.selectSQL(query)
            return text + " | " + binds.map { "\($0)" }.joined(separator: ", ")
        }
        // Pairs of one shape: the second read is served from the statement the first one kept.
        let pairs: [(Filter, Filter)] = [
            (.equals("documentId", "abc").and(.field("publishedAt", .operator(.notNull, .bool(true)))),
             .equals("documentId", "xyz").and(.field("publishedAt", .operator(.notNull, "yes")))),
            (.or([.field("rank", .operator(.in, [1, 2, 3])), .field("name", .operator(.containsi, "x_"))]),
             .or([.field("rank", .operator(.in, ["4", 5, 6])), .field("name", .operator(.containsi, "%y"))])),
            (.not(.field("price", .operator(.between, [1, 5]))), .not(.field("price", .operator(.between, [2.5, 7])))),
            (.field("name", .and([.operator(.eqi, "A"), .operator(.ne, .null), .operator(.startsWith, "a"), .operator(.endsWithi, "z")])),
             .field("name", .and([.operator(.eqi, 3), .operator(.ne, .null), .operator(.startsWith, "b"), .operator(.endsWithi, "q")]))),
            (.field("day", .operator(.lt, "2024-01-02")).and(.field("flag", .operator(.eq, "t"))),
             .field("day", .operator(.lt, "2025-12-31")).and(.field("flag", .operator(.eq, false)))),
            (.field("rank", .operator(.in, ["0": 1, "1": 2])), .field("rank", .operator(.in, ["0": 8, "1": 9]))),
        ]
        for (first, second) in pairs {
            let before = database.statements.count
            let a = EntityQuery(filter: first, sort: [SortField(["rank"], .desc)], limit: 10, offset: 20)
            let b = EntityQuery(filter: second, sort: [SortField(["rank"], .desc)], limit: 10)
            #expect(try kept(a) == fresh(a))
            #expect(try kept(b) == fresh(b))
            #expect(database.statements.count == before + 1)
            #expect(try kept(a) != kept(b))
            // The page size is in the kept text; the offset is not.
            var other = b
            other.limit = 5
            other.offset = 7
            #expect(try kept(other) == fresh(other))
            #expect(database.statements.count == before + 2)
        }
        // What changes the SQL makes another statement.
        let shapes: [Filter] = [
            .equals("name", .null), .equals("name", "n"), .field("rank", .operator(.in, [1])), .field("rank", .operator(.in, [1, 2])),
            .field("name", .operator(.null, true)), .field("name", .operator(.null, false)),
        ]
        let before = database.statements.count
        for filter in shapes {
            #expect(try kept(EntityQuery(filter: filter)) == fresh(EntityQuery(filter: filter)))
        }
        #expect(database.statements.count == before + shapes.count)
        // `_q` binds its own text: such reads are not kept.
        let search = EntityQuery(filter: .equals("name", "n"), search: "7")
        #expect(try kept(search) == fresh(search))
        #expect(database.statements.count == before + shapes.count)
    }

    @Test("the statement cache stops growing at its capacity")
    func statementCacheCapacity() throws {
        let cache = StatementCache()
        let entry = StatementCache.Entry(template: StatementTemplate(sql: "SELECT 1", binds: []), selection: nil, conversions: [])
        for index in 0..<(StatementCache.capacity * 2 + 3) {
            let key = StatementCache.Key(model: ObjectIdentifier(cache), statement: .count, filter: .equals("name", .string("\(index)")))
            cache.store(entry, for: key)
            #expect(cache[key] != nil)
            #expect(cache.count <= StatementCache.capacity)
        }
    }

    @Test("comparisons write what SQLKit's SQLBinaryExpression writes, for every operator")
    func comparisons() throws {
        let operators: [SQLBinaryOperator] = [.equal, .notEqual, .and, .or, .in, .notIn, .greaterThan, .greaterThanOrEqual,
                                              .lessThan, .lessThanOrEqual, .is, .isNot, .like, .notLike, .multiply, .divide,
                                              .modulo, .add, .subtract]
        for op in operators {
            let left = SQLColumn.named("rank", table: "t0"), right = SQLBind(DatabaseValue.int(3))
            let ours = try database.client.serialize(SQLComparison(left, op, right))
            let sqlKit = try database.client.serialize(SQLBinaryExpression(left, op, right))
            #expect(ours.sql == sqlKit.sql)
            #expect(ours.binds == sqlKit.binds)
        }
    }

    @Test("filters on the read alias use the columns quoted once and give the same SQL as quoting them each time")
    func renderedColumns() throws {
        let repository = try repository()
        let filters: [Filter] = [
            .equals("documentId", "abc").and(.field("publishedAt", .operator(.notNull, .bool(true)))),
            .or([.field("rank", .operator(.in, [1, 2, 3])), .field("name", .operator(.containsi, "x")),
                 .not(.field("price", .operator(.between, [1, 5])))]),
            .field("name", .and([.operator(.eqi, "A"), .operator(.ne, .null), .operator(.startsWith, "a")])),
        ]
        for filter in filters {
            var plain = FilterCompiler(metadata: database.metadata, dialect: database.client.dialect)
            let expected = try database.client.serialize(try plain.compile(filter, model: repository.model, alias: EntityRepository.alias))
            let compiled = try database.client.serialize(try #require(try repository.predicate(filter)))
            #expect(compiled.sql == expected.sql)
            #expect(compiled.binds == expected.binds)
            #expect(compiled.sql.contains("`t0`."))
        }
        // Another alias is quoted as it is compiled.
        var compiler = FilterCompiler(metadata: database.metadata, dialect: database.client.dialect)
        compiler.rendered = database.rendered(repository.model)
        let other = try database.client.serialize(try compiler.compile(.equals("name", "a"), model: repository.model, alias: "t7"))
        #expect(other.sql == "`t7`.`name` = &1")
    }
}
