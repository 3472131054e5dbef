import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StrataCore
import StrataPostgres
import StrataSQL
import StrataTestDatabase
import Testing

/// Several stateless Strata processes on one PostgreSQL database, as behind a load balancer.
@Suite("Two strata processes on one Postgres database", .enabled(if: TestDatabase.isPostgres, "needs STRATA_TEST_POSTGRES_URL (scripts/test.sh starts a server)"))
struct TwoInstancesTests {
    @Test("two processes starting together on an empty database create and seed it once; writes through one are read through the other")
    func twoInstances() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "site", "--example", "blog"], in: parent)
        let site = parent.appendingPathComponent("site")
        let database = try #require(TestDatabase.postgresConfiguration())
        let environment = ["DATABASE_CLIENT": "postgres", "DATABASE_URL": try #require(TestDatabase.postgresURL), "DATABASE_SCHEMA": database.schema]

        // Both commands boot on the empty schema at the same time: sync and seeding must not race.
        async let first = Task.detached {
            try await CLI.run(["roles:grant", "public", "api::article.article.find", "api::article.article.findOne"], in: site, environment: environment)
        }.value
        async let second = Task.detached {
            try await CLI.run(["roles:grant", "public", "api::article.article.create", "api::article.article.update"], in: site, environment: environment)
        }.value
        let results = try await [first, second]
        for result in results { #expect(result.status == 0, "\(result.error)") }

        let client = DatabaseClient(driver: try await PostgresDriver.open(database))
        #expect(try await client.raw(#"SELECT "type" FROM "up_roles" ORDER BY "type""#).map { $0["type"] } == [.text("authenticated"), .text("public")])
        #expect(try await client.raw(#"SELECT COUNT(*) AS "n" FROM "i18n_locale""#).first?["n"] == .int(1))
        let granted = try await client.raw(#"SELECT "action" FROM "up_permissions" WHERE "action" LIKE 'api::article.%' ORDER BY "action""#)
        #expect(granted.map { $0["action"] } == ["api::article.article.create", "api::article.article.find", "api::article.article.findOne", "api::article.article.update"].map { .text($0) })
        try await client.shutdown()

        let ports = [Int.random(in: 20_000..<40_000), Int.random(in: 40_000..<60_000)]
        let processes = try ports.map { try CLI.launch(["start"], in: site, port: $0, environment: environment) }
        defer {
            for process in processes {
                process.terminate()
                process.waitUntilExit()
            }
        }
        let (a, b) = ("http://127.0.0.1:\(ports[0])", "http://127.0.0.1:\(ports[1])")
        for base in [a, b] { #expect(try await CLI.waitUntilHealthy(base), "\(base) did not start") }

        let created = try await Self.send("POST", a + "/api/articles", #"{"data":{"title":"Written through A"}}"#)
        #expect(created.status == 201)
        let documentId = try #require(created.json["data"]?["documentId"]?.stringValue)
        let listed = try await Self.send("GET", b + "/api/articles")
        #expect(listed.json["data"]?.arrayValue?.compactMap { $0["title"]?.stringValue } == ["Written through A"])
        let updated = try await Self.send("PUT", b + "/api/articles/\(documentId)", #"{"data":{"title":"Edited through B"}}"#)
        #expect(updated.status == 200)
        let read = try await Self.send("GET", a + "/api/articles/\(documentId)")
        #expect(read.json["data"]?["title"] == "Edited through B")
    }

    static func send(_ method: String, _ url: String, _ body: String? = nil) async throws -> (status: Int, json: JSONValue) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try JSONParser.parse([UInt8](data)))
    }
}
