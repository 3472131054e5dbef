import StrataCore
import StrataTesting
import Testing

@Suite("REST: collection types")
struct CollectionTypeTests {
    @Test("create, read, list, update and delete, with Strapi's status codes and envelope")
    func crud() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let created = try await client.post("/api/articles", json: ["data": ["title": "Hello", "body": "# Hi"]])
            #expect(created.status == 201)
            #expect(created.text == ##"{"data":{"id":2,"documentId":"aaaaaaaaaaaaaaaaaaaa0001","title":"Hello","body":"# Hi","views":null,"createdAt":"2024-03-06T13:42:05.099Z","updatedAt":"2024-03-06T13:42:05.099Z","publishedAt":"2024-03-06T13:42:05.100Z","locale":null},"meta":{}}"##)

            let list = try await client.get("/api/articles")
            #expect(list.status == 200)
            #expect(list.data?.arrayValue?.count == 1)
            #expect(list.meta == ["pagination": ["page": 1, "pageSize": 25, "pageCount": 1, "total": 1]])

            let one = try await client.get("/api/articles/aaaaaaaaaaaaaaaaaaaa0001")
            #expect(one.status == 200)
            #expect(one.data?["title"] == "Hello")
            #expect(one.meta == [:])

            let updated = try await client.put("/api/articles/aaaaaaaaaaaaaaaaaaaa0001", json: ["data": ["views": 7]])
            #expect(updated.status == 200)
            #expect(updated.data?["views"] == 7)
            #expect(updated.data?["title"] == "Hello", "absent attributes are left untouched")

            let deleted = try await client.delete("/api/articles/aaaaaaaaaaaaaaaaaaaa0001")
            #expect(deleted.status == 204)
            #expect(deleted.text.isEmpty)
            #expect(try await client.get("/api/articles/aaaaaaaaaaaaaaaaaaaa0001").status == 404)
        }
    }

    @Test("REST reads the published version; ?status=draft reads and writes drafts")
    func status() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let draft = try await client.post("/api/articles?status=draft", json: ["data": ["title": "Draft"]])
            #expect(draft.status == 201)
            #expect(draft.data?["publishedAt"] == .null)
            #expect(try await client.get("/api/articles").data == [])
            #expect(try await client.get("/api/articles?status=draft").data?.arrayValue?.count == 1)
            let documentId = try #require(draft.data?["documentId"]?.stringValue)
            #expect(try await client.get("/api/articles/\(documentId)").status == 404)
            // PUT with status=published and empty data publishes.
            let published = try await client.put("/api/articles/\(documentId)?status=published", json: ["data": [:]])
            #expect(published.data?["publishedAt"] != .null)
            #expect(try await client.get("/api/articles/\(documentId)").data?["title"] == "Draft")
        }
    }

    @Test("private and password attributes never appear in responses")
    func privateAttributes() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let created = try await client.post("/api/articles", json: ["data": ["title": "T", "secret": "pw", "internal": "x"]])
            #expect(created.data?["secret"] == nil)
            #expect(created.data?["internal"] == nil)
            #expect(!created.text.contains("pw"))
            let listed = try await client.get("/api/articles")
            #expect(listed.data?[0]?["secret"] == nil)
        }
    }

    @Test("fields selects attributes and always keeps id and documentId")
    func fields() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            _ = try await client.post("/api/products", json: ["data": ["name": "A", "price": 1.5]])
            let response = try await client.get("/api/products?fields[0]=name")
            #expect(response.text.hasPrefix(#"{"data":[{"id":1,"documentId":"aaaaaaaaaaaaaaaaaaaa0001","name":"A"}]"#))
            let comma = try await client.get("/api/products?fields=name,price")
            #expect(comma.data?[0]?.objectValue?.keys == ["id", "documentId", "name", "price"])
            let invalid = try await client.get("/api/articles?fields=secret")
            #expect(invalid.status == 400)
            #expect(invalid.error?["message"] == "Invalid key secret")
        }
    }

    @Test("filters and sort from a qs-encoded query string")
    func filtersAndSort() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            for (name, rank) in [("Alpha", 3), ("beta", 1), ("Gamma", 2)] {
                _ = try await client.post("/api/products", json: ["data": ["name": .string(name), "rank": .int(Int64(rank))]])
            }
            let sorted = try await client.get("/api/products?sort=rank:desc")
            #expect(sorted.data?.arrayValue?.map { $0["name"] } == ["Alpha", "Gamma", "beta"])
            let filtered = try await client.get("/api/products?filters%5Bname%5D%5B%24containsi%5D=A&sort[0]=name")
            // Byte order, as SQLite and Postgres's C collation sort.
            #expect(filtered.data?.arrayValue?.map { $0["name"] } == ["Alpha", "Gamma", "beta"])
            let ranked = try await client.get("/api/products?filters[rank][$gte]=2&sort=name:asc")
            #expect(ranked.data?.arrayValue?.map { $0["name"] } == ["Alpha", "Gamma"])
            #expect(ranked.meta?["pagination"]?["total"] == 2)
            let badKey = try await client.get("/api/products?filters[nope]=1")
            #expect(badKey.status == 400)
            #expect(badKey.error?["name"] == "ValidationError")
            #expect(badKey.error?["message"] == "Invalid key nope")
            let badOrder = try await client.get("/api/products?sort=rank:sideways")
            #expect(badOrder.error?["message"] == "Invalid order. order can only be one of asc|desc|ASC|DESC")
        }
    }
}
