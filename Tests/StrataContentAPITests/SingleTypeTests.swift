import StrataCore
import StrataTesting
import Testing

@Suite("REST: single types")
struct SingleTypeTests {
    @Test("GET is 404 until PUT creates the document; PUT then updates the same document; DELETE empties it")
    func lifecycle() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            #expect(try await client.get("/api/homepage").status == 404)
            let created = try await client.put("/api/homepage", json: ["data": ["headline": "Welcome"]])
            #expect(created.status == 200)
            let documentId = created.data?["documentId"]
            let updated = try await client.put("/api/homepage", json: ["data": ["headline": "Hello"]])
            #expect(updated.data?["documentId"] == documentId)
            #expect(try await client.get("/api/homepage").data?["headline"] == "Hello")
            #expect(try await client.delete("/api/homepage").status == 204)
            #expect(try await client.get("/api/homepage").status == 404)
            #expect(try await client.delete("/api/homepage").status == 204, "deleting nothing is still 204")
        }
    }

    @Test("single types have no POST and no /:id routes")
    func routes() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let post = try await client.post("/api/homepage", json: ["data": [:]])
            #expect(post.status == 404)
            let item = try await client.get("/api/homepage/abc")
            #expect(item.status == 404)
        }
    }

    @Test("validation errors are reported in details.errors")
    func validation() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.put("/api/homepage", json: ["data": ["headline": .null]])
            #expect(response.text == #"{"data":null,"error":{"status":400,"name":"ValidationError","message":"headline must be defined.","details":{"errors":[{"path":["headline"],"message":"headline must be defined.","name":"ValidationError","value":null}]}}}"#)
        }
    }
}
