import StrataCore
import StrataTesting
import Testing

/// Port of Strapi's pagination API test (content-api.md §8.2, bonus) plus the documented quirks.
@Suite("REST: pagination")
struct PaginationTests {
    func withProducts(config: [String: JSONValue] = [:], _ body: @Sendable (StrataClient) async throws -> Void) async throws {
        var project = APIFixtures.project
        project.config = config
        try await TestStrata.run(project) { _, client in
            for index in 1...4 {
                _ = try await client.post("/api/products", json: ["data": ["name": .string("Product \(index)")]])
            }
            try await body(client)
        }
    }

    @Test("page mode")
    func pages() async throws {
        try await withProducts { client in
            let first = try await client.get("/api/products?pagination[page]=1&pagination[pageSize]=2")
            #expect(first.meta == ["pagination": ["page": 1, "pageSize": 2, "pageCount": 2, "total": 4]])
            #expect(first.data?.arrayValue?.map { $0["name"] } == ["Product 1", "Product 2"])
            let second = try await client.get("/api/products?pagination[page]=2&pagination[pageSize]=2")
            #expect(second.meta?["pagination"]?["page"] == 2)
            #expect(second.data?.arrayValue?.map { $0["name"] } == ["Product 3", "Product 4"])
        }
    }

    @Test("offset mode and withCount=false")
    func offsets() async throws {
        try await withProducts { client in
            #expect(try await client.get("/api/products?pagination[start]=0&pagination[limit]=2").meta == ["pagination": ["start": 0, "limit": 2, "total": 4]])
            let rest = try await client.get("/api/products?pagination[start]=2&pagination[limit]=2")
            #expect(rest.meta == ["pagination": ["start": 2, "limit": 2, "total": 4]])
            #expect(rest.data?.arrayValue?.map { $0["name"] } == ["Product 3", "Product 4"])
            #expect(try await client.get("/api/products?pagination[withCount]=false").meta == ["pagination": ["start": 0, "limit": 25]])
        }
    }

    @Test("invalid pagination is a 400")
    func invalid() async throws {
        try await withProducts { client in
            let mixed = try await client.get("/api/products?pagination[page]=1&pagination[limit]=2")
            #expect(mixed.status == 400)
            #expect(mixed.error?["name"] == "PaginationError")
            #expect(mixed.error?["message"] == "Cannot use both page & offset pagination in the same query")
            let count = try await client.get("/api/products?pagination[withCount]=maybe")
            #expect(count.error?["message"] == #"Invalid withCount parameter. Expected "t","1","true","false","0","f""#)
            #expect(try await client.get("/api/products?pagination[page]=0").status == 400)
            #expect(try await client.get("/api/products?pagination[page]=abc").status == 400)
        }
    }

    @Test("defaults and caps come from config/api.json")
    func configured() async throws {
        try await withProducts(config: ["api": ["rest": ["defaultLimit": 3, "maxLimit": 2]]]) { client in
            #expect(try await client.get("/api/products").meta?["pagination"]?["pageSize"] == 2)
            let capped = try await client.get("/api/products?pagination[pageSize]=50")
            #expect(capped.meta == ["pagination": ["page": 1, "pageSize": 2, "pageCount": 2, "total": 4]])
            #expect(try await client.get("/api/products?pagination[limit]=-1").data?.arrayValue?.count == 2)
        }
        try await withProducts(config: ["api": ["rest": ["defaultLimit": 3, "withCount": false]]]) { client in
            let response = try await client.get("/api/products")
            #expect(response.meta == ["pagination": ["start": 0, "limit": 3]])
            #expect(response.data?.arrayValue?.count == 3)
        }
    }

    @Test("an empty page reports pageCount 0")
    func empty() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.get("/api/products")
            #expect(response.meta == ["pagination": ["page": 1, "pageSize": 25, "pageCount": 0, "total": 0]])
        }
    }
}
