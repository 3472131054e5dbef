import Foundation
import StrataCore
import StrataTesting
import Testing

/// Regression tests for requests that once crashed the server, leaked private data or answered
/// 500 (the hardening issue). One booted instance per test, many requests each.
@Suite("REST: hostile requests")
struct HardeningTests {
    /// Blog plus a note type with every kind of private attribute, and a global private one.
    static var project: TestProject {
        var project = Blog.project
        guard case .object(var note) = TestProject.collectionType("note", attributes: [
            "title": ["type": "string"],
            "pin": ["type": "string"],
            "flagged": ["type": "string", "private": true],
            "internalCode": ["type": "string"],
            "due": ["type": "datetime"],
            "author": ["type": "relation", "relation": "manyToOne", "target": "api::author.author"],
        ]) else { return project }
        note["options"] = ["draftAndPublish": false, "privateAttributes": ["pin"]]
        project.contentTypes.append(("api::note.note", .object(note)))
        project.config = ["api": ["responses": ["privateAttributes": ["internalCode"]]]]
        return project
    }

    static func strings(_ count: Int, _ make: (Int) -> String) -> String {
        (0..<count).map(make).joined(separator: "&")
    }

    @Test("pagination numbers that overflow are a 400 PaginationError, at the root and in populate")
    func paginationOverflow() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Blog.seed(client, articles: 2)
            let page = try await client.get("/api/articles?pagination[page]=9223372036854775807")
            #expect(page.status == 400, "\(page.text)")
            #expect(page.error?["name"] == "PaginationError")
            let bigSize = try await client.get("/api/articles?pagination[page]=3&pagination[pageSize]=4611686018427387904")
            #expect(bigSize.status == 400, "no maxLimit here, so the offset overflows: \(bigSize.text)")
            #expect(bigSize.error?["name"] == "PaginationError")
            let nested = try await client.get("/api/authors?populate[articles][page]=9223372036854775807&populate[articles][pageSize]=2")
            #expect(nested.status == 400, "\(nested.text)")
            #expect(nested.error?["name"] == "ValidationError")
            let nestedLimit = try await client.get("/api/authors?populate[articles][start]=1&populate[articles][limit]=9223372036854775807")
            #expect(nestedLimit.status == 200, "\(nestedLimit.text)")
            let beyond = try await client.get("/api/articles?pagination[start]=9223372036854775807&pagination[limit]=5")
            #expect(beyond.status == 200 && beyond.data?.arrayValue?.isEmpty == true, "\(beyond.text)")
        }
    }

    @Test("without a maxLimit, a huge pageSize still counts pages without overflowing")
    func uncappedPageCount() async throws {
        var project = Self.project
        project.config["api"] = ["rest": ["maxLimit": .null]]
        try await TestStrata.run(project) { _, client in
            _ = try await Blog.seed(client, articles: 3)
            let response = try await client.get("/api/articles?pagination[pageSize]=9223372036854775807")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.meta?["pagination"]?["pageCount"] == 1)
        }
    }

    @Test("deep dot paths in populate and sort are refused before anything walks them")
    func deepPaths() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Blog.seed(client, articles: 1)
            let huge = Array(repeating: "author.articles", count: 5_000).joined(separator: ".")
            for query in ["populate=\(huge)", "sort=\(huge).title", "populate[author][populate]=\(huge)"] {
                let response = try await client.get("/api/articles?\(query)")
                #expect(response.status == 400, "\(query.prefix(60)): \(response.text.prefix(200))")
                #expect(response.error?["name"] == "ValidationError")
            }
            let hundred = Array(repeating: "author.articles", count: 50).joined(separator: ".") + ".title"
            #expect(try await client.get("/api/articles?sort=\(hundred)").status == 400)
            // Twenty segments is the limit, and a legitimate cycle that deep still works.
            let twenty = Array(repeating: "author.articles", count: 10).joined(separator: ".")
            #expect(try await client.get("/api/articles?populate=\(twenty)").status == 200)
            let sorted = Array(repeating: "author.articles", count: 9).joined(separator: ".") + ".title"
            #expect(try await client.get("/api/articles?sort=\(sorted)").status == 200)
        }
    }

    @Test("query sizes past SQLite's limits are 400s, and 1,000 $or terms work")
    func querySizes() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Blog.seed(client, articles: 2)
            let ors = Self.strings(1000) { "filters[$or][\($0)][title][$eq]=Article%20\($0)" }
            let manyOr = try await client.get("/api/articles?\(ors)")
            #expect(manyOr.status == 200, "\(manyOr.text.prefix(300))")
            #expect(manyOr.data?.arrayValue?.count == 2)

            let sortTerms = Array(repeating: "title", count: 2000).joined(separator: ",")
            let sort = try await client.get("/api/articles?sort=\(sortTerms)")
            #expect(sort.status == 400)
            #expect(sort.error?["details"]?["limit"] == 100)
            let search = try await client.get("/api/articles?_q=\(String(repeating: "a", count: 60_000))")
            #expect(search.status == 400)
            #expect(search.error?["details"]?["param"] == "_q")
            #expect(try await client.get("/api/articles?_q=\(String(repeating: "a", count: 1000))").status == 200)
        }
    }

    @Test("rest.limits in config/api.json lowers the limits")
    func configuredLimits() async throws {
        var project = Self.project
        project.config["api"] = ["rest": ["limits": ["filterConditions": 3, "sortTerms": 2, "pathDepth": 2, "searchLength": 5]]]
        try await TestStrata.run(project) { _, client in
            #expect(try await client.get("/api/articles?filters[title][$in][0]=a&filters[title][$in][1]=b&filters[id]=1").status == 200)
            let filters = try await client.get("/api/articles?filters[title][$in][0]=a&filters[title][$in][1]=b&filters[id]=1&filters[id][$ne]=2")
            #expect(filters.status == 400)
            #expect(filters.error?["details"]?["limit"] == 3)
            #expect(try await client.get("/api/articles?sort=title,id").status == 200)
            #expect(try await client.get("/api/articles?sort=title,id,createdAt").status == 400)
            #expect(try await client.get("/api/articles?populate=author.articles").status == 200)
            #expect(try await client.get("/api/articles?populate=author.articles.author").status == 400)
            #expect(try await client.get("/api/articles?_q=abcde").status == 200)
            #expect(try await client.get("/api/articles?_q=abcdef").status == 400)
        }
    }

    @Test("out-of-range numbers in write bodies are validation errors, not traps")
    func bodyNumbers() async throws {
        try await TestStrata.run(Self.project) { _, client in
            for relation: JSONValue in [[1e20], 1e20, ["connect": [["id": 1e300]]], ["set": [9.3e18]], [["id": 1e19]]] {
                let response = try await client.post("/api/articles", json: ["data": ["title": "x", "categories": relation]])
                #expect(response.status == 400, "\(relation): \(response.text)")
                #expect(response.error?["name"] == "ValidationError")
            }
            for due: JSONValue in [1e300, -9_223_372_036_854_775_808, 8.7e15, "99999999999999999"] {
                let response = try await client.post("/api/notes", json: ["data": ["title": "x", "due": due]])
                #expect(response.status == 400, "\(due): \(response.text)")
            }
            let ok = try await client.post("/api/notes", json: ["data": ["title": "x", "due": 86_400_000]])
            #expect(ok.data?["due"] == "1970-01-02T00:00:00.000Z")
            let filter = try await client.get("/api/notes?filters[due][$lt]=-9223372036854775808")
            #expect(filter.status == 400, "\(filter.text)")
            let tooMany = (1...1001).map { JSONValue.int(Int64($0)) }
            let many = try await client.post("/api/articles", json: ["data": ["title": "x", "categories": .array(tooMany)]])
            #expect(many.status == 400)
            #expect(many.error?["details"]?["limit"] == 1000)
        }
    }

    @Test("private attributes — the flag, the type's privateAttributes, the global list — cannot be filtered, sorted, selected or searched")
    func privateAttributes() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let created = try await client.post("/api/notes", json: ["data": ["title": "t", "pin": "4821", "flagged": "yes", "internalCode": "X-42"]])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.data?["pin"] == nil && created.data?["flagged"] == nil && created.data?["internalCode"] == nil)
            for name in ["pin", "flagged", "internalCode"] {
                let filter = try await client.get("/api/notes?filters[\(name)][$startsWith]=4")
                #expect(filter.status == 400, "filter on \(name): \(filter.text)")
                #expect(filter.error?["message"] == .string("Invalid key \(name)"))
                #expect(try await client.get("/api/notes?sort=\(name)").status == 400, "sort on \(name)")
                #expect(try await client.get("/api/notes?fields[0]=\(name)").status == 400, "fields \(name)")
                #expect(try await client.get("/api/notes?filters[$or][0][\(name)][$eq]=1").status == 400)
            }
            for secret in ["4821", "yes", "X-42"] {
                let search = try await client.get("/api/notes?_q=\(secret)")
                #expect(search.data?.arrayValue?.isEmpty == true, "_q matched a private value \(secret)")
            }
            #expect(try await client.get("/api/notes?_q=t").data?.arrayValue?.count == 1)
        }
    }

    @Test("the auth rate limit counts every spelling of a path as one path")
    func rateLimitPaths() async throws {
        var project = Self.project
        project.enforceAccess = true
        project.config["plugins"] = ["users-permissions": ["config": ["jwtSecret": "x", "ratelimit": ["max": 2, "interval": 60_000]]]]
        try await TestStrata.run(project) { _, client in
            let body = #"{"identifier":"nobody","password":"wrong-password"}"#
            var statuses: [Int] = []
            for path in ["/api/auth/local/", "//api/auth/local", "/api//auth/local", "/api/auth//local/"] {
                statuses.append(try await client.send("POST", path, body: body).status)
            }
            #expect(statuses == [400, 400, 429, 429], "\(statuses)")
            #expect(try await client.get("/api//articles/").status == 403, "normalized paths route as usual")
        }
    }
}

@Suite("REST: access through relations")
struct RelationAccessTests {
    @Test("sorting through a relation the caller may not read is refused, as filters and populate are")
    func sortThroughForbiddenRelation() async throws {
        var project = HardeningTests.project
        project.enforceAccess = true
        project.config["plugins"] = ["users-permissions": ["config": ["jwtSecret": "x"]]]
        try await TestStrata.run(project) { strata, client in
            let token = try await strata.createToken("notes", type: .custom, permissions: ["api::note.note.find"])
            let auth = "Bearer \(token)"
            #expect(try await client.get("/api/notes?sort=title", authorization: auth).status == 200)
            for query in ["sort=author.name", "sort[author][name]=desc", "sort[0]=author.name", "filters[author][name][$eq]=x", "populate=author"] {
                let response = try await client.get("/api/notes?\(query)", authorization: auth)
                #expect(response.status == 400, "\(query): \(response.text)")
                #expect(response.error?["message"] == "Invalid key author")
            }
            let both = try await strata.createToken("both", type: .custom, permissions: ["api::note.note.find", "api::author.author.find"])
            #expect(try await client.get("/api/notes?sort=author.name", authorization: "Bearer \(both)").status == 200)
            // A private attribute of the related type stays out of reach even then.
            #expect(try await client.get("/api/notes?sort=author.email", authorization: "Bearer \(both)").status == 400)
        }
    }

    @Test("a write cannot link entries of a type the caller may not read: the relation is dropped, as Strapi's input sanitizer does")
    func writesDropRestrictedRelations() async throws {
        var project = HardeningTests.project
        project.enforceAccess = true
        project.config["plugins"] = ["users-permissions": ["config": ["jwtSecret": "x"]]]
        try await TestStrata.run(project) { strata, client in
            let admin = "Bearer " + (try await strata.createToken("all", type: .fullAccess))
            let author = try await client.post("/api/authors", json: ["data": ["name": "Ada"]], authorization: admin)
            let authorID = try #require(author.data?["documentId"]?.stringValue)
            let writer = "Bearer " + (try await strata.createToken("w", type: .custom, permissions: ["api::note.note.create", "api::note.note.update", "api::note.note.find"]))
            let created = try await client.post("/api/notes", json: ["data": ["title": "n", "author": .string(authorID)]], authorization: writer)
            #expect(created.status == 201, "\(created.text)")
            let missing = try await client.post("/api/notes", json: ["data": ["title": "n", "author": "nosuchdocumentid0000000"]], authorization: writer)
            #expect(missing.status == 201, "no 'not found' oracle: the relation is dropped before lookup: \(missing.text)")
            let stored = try await client.get("/api/notes?populate=author", authorization: admin)
            #expect(stored.data?.arrayValue?.allSatisfy { $0["author"] == .null } == true, "\(stored.text)")
            let linker = "Bearer " + (try await strata.createToken("l", type: .custom, permissions: ["api::note.note.create", "api::author.author.find"]))
            let linked = try await client.post("/api/notes?populate=author", json: ["data": ["title": "n", "author": .string(authorID)]], authorization: linker)
            #expect(linked.data?["author"]?["name"] == "Ada", "\(linked.text)")
        }
    }
}
