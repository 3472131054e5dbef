import StrataCore
import StrataSchema
import StrataSQL
import Testing
@testable import StrataDatabase

@Suite("Entity repository")
struct EntityRepositoryTests {
    static let attributes = #"""
    "title":{"type":"string"},"body":{"type":"richtext"},"rank":{"type":"integer"},"big":{"type":"biginteger"},
    "price":{"type":"float"},"amount":{"type":"decimal"},"flag":{"type":"boolean"},"day":{"type":"date"},
    "at":{"type":"time"},"when":{"type":"datetime"},"meta":{"type":"json"},"kind":{"type":"enumeration","enum":["a","b"]}
    """#

    func repository() async throws -> EntityRepository {
        let database = try await makeDatabase(try articleRegistry(Self.attributes))
        try await database.synchronizeSchema()
        return database.query(try UID("api::article.article"))!
    }

    func insert(_ repository: EntityRepository, _ values: JSONObject) async throws -> Int64 {
        try await repository.insert(values.map { ($0.key, try repository.encode($0.value, field: $0.key)) })
    }

    @Test("values round-trip in Strapi's output forms")
    func roundTrip() async throws {
        let repository = try await repository()
        let id = try await insert(repository, [
            "documentId": "aaaaaaaaaaaaaaaaaaaa0001", "title": "Hello", "body": "# Hi", "rank": 42, "big": "345678912983",
            "price": 10.99, "amount": "42.43", "flag": "t", "day": "2024-03-06", "at": "09:30", "when": "2024-03-06T13:42:05.098Z",
            "meta": ["a": [1, true, .null]], "kind": "a",
        ])
        let row = try #require(try await repository.findOne(EntityQuery(filter: .equals("id", .int(id)))))
        #expect(JSONWriter.string(.object(row)) == ##"{"id":1,"documentId":"aaaaaaaaaaaaaaaaaaaa0001","title":"Hello","body":"# Hi","rank":42,"big":"345678912983","price":10.99,"amount":42.43,"flag":true,"day":"2024-03-06","at":"09:30:00.000","when":"2024-03-06T13:42:05.098Z","meta":{"a":[1,true,null]},"kind":"a","createdAt":null,"updatedAt":null,"publishedAt":null,"locale":null}"##)
    }

    @Test("fields selection always keeps id and documentId")
    func fields() async throws {
        let repository = try await repository()
        _ = try await insert(repository, ["documentId": "aaaaaaaaaaaaaaaaaaaa0001", "title": "A", "rank": 1])
        let rows = try await repository.findMany(EntityQuery(fields: ["title"]))
        #expect(rows.first?.keys == ["id", "documentId", "title"])
    }

    @Test("update, count and delete use filters")
    func writes() async throws {
        let repository = try await repository()
        for rank in 1...5 { _ = try await insert(repository, ["title": .string("t\(rank)"), "rank": .int(Int64(rank))]) }
        #expect(try await repository.count(.field("rank", .operator(.gte, 3))) == 3)
        #expect(try await repository.update(.field("rank", .operator(.lt, 3)), set: [("title", .text("low"))]) == 2)
        #expect(try await repository.count(.equals("title", "low")) == 2)
        #expect(try await repository.delete(.field("rank", .operator(.in, [1, 2, 3]))) == 3)
        let remaining = try await repository.findMany(EntityQuery(sort: [SortField(["rank"], .desc)]))
        #expect(remaining.map { $0["rank"] } == [5, 4])
    }

    @Test("paging with offset and limit")
    func paging() async throws {
        let repository = try await repository()
        for rank in 1...5 { _ = try await insert(repository, ["rank": .int(Int64(rank))]) }
        let page = try await repository.findMany(EntityQuery(sort: [SortField(["rank"])], limit: 2, offset: 2))
        #expect(page.map { $0["rank"] } == [3, 4])
        let rest = try await repository.findMany(EntityQuery(sort: [SortField(["rank"])], offset: 3))
        #expect(rest.map { $0["rank"] } == [4, 5])
    }

    @Test("values of the wrong type are a validation error, not a crash")
    func badValues() async throws {
        let repository = try await repository()
        #expect(throws: ValidationError.self) { try repository.encode("abc", field: "rank") }
        #expect(throws: ValidationError.self) { try repository.encode("maybe", field: "flag") }
        #expect(throws: ValidationError.self) { try repository.encode("12345678901234567890", field: "big") }
        #expect(throws: ValidationError.self) { try repository.encode("tomorrow", field: "when") }
        #expect(throws: ValidationError.self) { try repository.encode(["x": 1], field: "title") }
    }

    @Test("reads of one shape share a kept statement, each with its own values; what changes the SQL is part of the shape")
    func keptStatements() async throws {
        let repository = try await repository()
        for rank in 1...5 { _ = try await insert(repository, ["title": .string("T\(rank)"), "rank": .int(Int64(rank))]) }
        _ = try await insert(repository, ["rank": 6])
        let statements = repository.database.statements
        func ranks(_ filter: Filter) async throws -> [JSONValue?] {
            try await repository.findMany(EntityQuery(filter: filter, sort: [SortField(["rank"])])).map { $0["rank"] }
        }
        #expect(try await ranks(.equals("rank", 2)) == [2])
        let kept = statements.count
        #expect(try await ranks(.equals("rank", 4)) == [4])
        #expect(try await ranks(.equals("rank", "5")) == [5])
        #expect(statements.count == kept)
        // A value of the wrong type fails as it does on a first read.
        #expect(throws: ValidationError.self) { _ = try repository.selectSQL(EntityQuery(filter: .equals("rank", "abc"))) }
        // `null` compares with IS NULL, not `= ?`.
        #expect(try await ranks(.equals("title", "T1")) == [1])
        #expect(try await ranks(.equals("title", .null)) == [6])
        #expect(try await ranks(.field("title", .operator(.ne, .null))) == [1, 2, 3, 4, 5])
        #expect(try await ranks(.field("title", .operator(.ne, "T2"))) == [1, 3, 4, 5])
        // List lengths and $null's truth are part of the shape.
        #expect(try await ranks(.field("rank", .operator(.in, [1, 2]))) == [1, 2])
        #expect(try await ranks(.field("rank", .operator(.in, [3, 4, 5]))) == [3, 4, 5])
        #expect(try await ranks(.field("rank", .operator(.in, [6, 1]))) == [1, 6])
        #expect(try await ranks(.field("rank", .operator(.in, .array([])))) == [])
        #expect(try await ranks(.field("title", .operator(.null, true))) == [6])
        #expect(try await ranks(.field("title", .operator(.null, false))).count == 5)
        #expect(try await ranks(.field("title", .operator(.notNull, "false"))) == [6])
        #expect(try await ranks(.field("rank", .operator(.between, [2, 3]))) == [2, 3])
        #expect(try await ranks(.field("rank", .operator(.between, [4, 9]))) == [4, 5, 6])
        // Text operators convert their own values.
        #expect(try await ranks(.field("title", .operator(.containsi, "t3"))) == [3])
        #expect(try await ranks(.field("title", .operator(.containsi, "%"))) == [])
        #expect(try await ranks(.field("title", .operator(.startsWith, "T4"))) == [4])
        #expect(try await ranks(.field("title", .operator(.startsWith, "t4"))) == [])
        #expect(try await ranks(.or([.equals("rank", 1), .field("title", .operator(.eqi, "t2"))])) == [1, 2])
        #expect(try await ranks(.or([.equals("rank", 3), .field("title", .operator(.eqi, "T5"))])) == [3, 5])
        // Counts are kept per shape too.
        #expect(try await repository.count(.field("rank", .operator(.gte, 3))) == 4)
        #expect(try await repository.count(.field("rank", .operator(.gte, 5))) == 2)
        // Paging: LIMIT and OFFSET are per read, not part of the kept text.
        let page = EntityQuery(sort: [SortField(["rank"])], limit: 2, offset: 1)
        #expect(try await repository.findMany(page).map { $0["rank"] } == [2, 3])
        var next = page
        next.offset = 3
        #expect(try await repository.findMany(next).map { $0["rank"] } == [4, 5])
    }

    @Test("a failed transaction leaves no rows, a committed one runs its callbacks after commit")
    func transactions() async throws {
        let repository = try await repository()
        let database = repository.database
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await database.transaction {
                _ = try await repository.insert([("title", .text("ghost"))])
                throw Boom()
            }
        }
        #expect(try await repository.count(.all) == 0)
        let log = LockedValue<[String]>([])
        try await database.transaction {
            _ = try await repository.insert([("title", .text("real"))])
            await database.client.onCommit { log.withLock { $0.append("committed") } }
            log.withLock { $0.append("body done") }
        }
        #expect(log.value == ["body done", "committed"])
        #expect(try await repository.count(.all) == 1)
    }
}
