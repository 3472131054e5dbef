import StrataCore
import StrataTesting
import Testing

@Suite("REST: error envelope")
struct ErrorTests {
    @Test("unknown routes and documents are Strapi's 404")
    func notFound() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let route = try await client.get("/api/nothing-here")
            #expect(route.text == #"{"data":null,"error":{"status":404,"name":"NotFoundError","message":"Not Found","details":{}}}"#)
            #expect(route.header("content-type") == "application/json; charset=utf-8")
            #expect(try await client.get("/api/articles/zzzzzzzzzzzzzzzzzzzzzzzz").status == 404)
            #expect(try await client.put("/api/articles/zzzzzzzzzzzzzzzzzzzzzzzz", json: ["data": ["title": "x"]]).status == 404)
            #expect(try await client.delete("/api/articles/zzzzzzzzzzzzzzzzzzzzzzzz").status == 204, "Strapi deletes nothing and answers 204")
        }
    }

    @Test("bad bodies are 400s in the envelope", arguments: [
        (#"{"data":"#, "BadRequestError"),
        (#"{"title":"no data wrapper"}"#, "ValidationError"),
        (#"{"data":[1,2]}"#, "ValidationError"),
        (#"[]"#, "ValidationError"),
        (#"{"data":{"title":"x","unknown":1}}"#, "ValidationError"),
        (#"{"data":{"id":5,"title":"x"}}"#, "ValidationError"),
        (#"{"data":{"title":"x","createdAt":"2020-01-01"}}"#, "ValidationError"),
        (#"{"data":{"title":"x","views":"lots"}}"#, "ValidationError"),
    ])
    func badBodies(body: String, name: String) async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.send("POST", "/api/articles", body: body)
            #expect(response.status == 400)
            #expect(response.error?["name"] == .string(name))
            #expect(response.error?["status"] == 400)
            #expect(response.data == .null)
        }
    }

    @Test("an empty body says data is missing")
    func emptyBody() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.send("POST", "/api/articles", body: "")
            #expect(response.error?["message"] == #"Missing "data" payload in the request body"#)
        }
    }

    @Test("unknown keys name the key")
    func invalidKey() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.post("/api/articles", json: ["data": ["title": "x", "nope": 1]])
            #expect(response.text == #"{"data":null,"error":{"status":400,"name":"ValidationError","message":"Invalid key nope","details":{"key":"nope","path":"nope","source":"body"}}}"#)
        }
    }

    @Test("form-encoded bodies are read like koa-body does")
    func formBody() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.send("POST", "/api/products", body: "data[name]=Form", contentType: "application/x-www-form-urlencoded")
            #expect(response.status == 201)
            #expect(response.data?["name"] == "Form")
        }
    }

    @Test("an unsupported body type is a 415")
    func mediaType() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.send("POST", "/api/products", body: "<xml/>", contentType: "application/xml")
            #expect(response.status == 415)
        }
    }

    @Test("bodies over server.maxBodySize are a 413")
    func bodyLimit() async throws {
        var project = APIFixtures.project
        project.config = ["server": ["maxBodySize": 64]]
        try await TestStrata.run(project) { _, client in
            let big = try await client.post("/api/products", json: ["data": ["name": .string(String(repeating: "x", count: 200))]])
            #expect(big.status == 413)
            #expect(big.error?["name"] == "PayloadTooLargeError")
            let small = try await client.post("/api/products", json: ["data": ["name": "ok"]])
            #expect(small.status == 201)
        }
    }

    @Test("the health route answers 204")
    func health() async throws {
        try await TestStrata.run(APIFixtures.project) { _, client in
            let response = try await client.get("/_health")
            #expect(response.status == 204)
        }
    }

    @Test("public/ is served at the root")
    func publicFiles() async throws {
        var project = APIFixtures.project
        project.files = ["public/robots.txt": "User-Agent: *\n"]
        try await TestStrata.run(project) { _, client in
            let robots = try await client.get("/robots.txt")
            #expect(robots.status == 200)
            #expect(robots.text == "User-Agent: *\n")
            let traversal = try await client.get("/../config/api.json")
            #expect(traversal.status == 400, "path traversal is refused: \(traversal.text)")
            #expect(traversal.error?["name"] == "BadRequestError")
        }
    }
}
