import Foundation
import HTTPTypes
import StrataCore
import StrataTesting
import Testing

/// The Media Library under hostile requests: what a file's `related` reveals, hostile file names,
/// how uploaded files are served, and paging arithmetic.
@Suite("Uploads: hostile requests")
struct UploadHardeningTests {
    /// An article with a cover, plus a secret type that also holds media and has private data.
    static var project: TestProject {
        var project = mediaProject()
        project.contentTypes.append(("api::secret.secret", TestProject.collectionType("secret", attributes: [
            "name": ["type": "string"],
            "token": ["type": "string", "private": true],
            "code": ["type": "string"],
            "picture": ["type": "media", "multiple": false],
        ])))
        project.config = ["api": ["responses": ["privateAttributes": ["code"]]], "plugins": ["users-permissions": ["config": ["jwtSecret": "x"]]]]
        project.enforceAccess = true
        return project
    }

    @Test("populate=related shows only entries the caller may read, sanitized as their type")
    func relatedIsGatedAndSanitized() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let admin = "Bearer " + (try await strata.createToken("all", type: .fullAccess))
            let upload = try await client.send(.post, "/api/upload", multipart: multipart([("a.png", "image/png", try fixture("tiny.png"))]), authorization: admin)
            let fileID = try #require(upload.json?[0]?["id"]?.int)
            let article = try await client.post("/api/articles", json: ["data": ["title": "public", "cover": .int(fileID)]], authorization: admin)
            #expect(article.status == 201, "\(article.text)")
            let secret = try await client.post("/api/secrets", json: ["data": ["name": "s", "token": "hunter2", "code": "C-1", "picture": .int(fileID)]], authorization: admin)
            #expect(secret.status == 201, "\(secret.text)")

            let filesOnly = "Bearer " + (try await strata.createToken("files", type: .custom, permissions: ["plugin::upload.content-api.find"]))
            let hidden = try await client.get("/api/upload/files?populate=related", authorization: filesOnly)
            #expect(hidden.status == 200, "\(hidden.text)")
            #expect(hidden.json?[0]?["related"] == [], "no related entry of an unreadable type: \(hidden.text)")
            let fragment = try await client.get("/api/upload/files?populate[related][on][api::secret.secret]=true", authorization: filesOnly)
            #expect(fragment.status == 400, "\(fragment.text)")
            let hiddenCount = try await client.get("/api/upload/files?populate[related][count]=true", authorization: filesOnly)
            #expect(hiddenCount.json?[0]?["related"]?["count"] == 0, "links to unreadable types are not counted: \(hiddenCount.text)")

            let someTypes = "Bearer " + (try await strata.createToken("some", type: .custom, permissions: [
                "plugin::upload.content-api.find", "api::article.article.find", "api::secret.secret.find",
            ]))
            let shown = try await client.get("/api/upload/files?populate=related", authorization: someTypes)
            let related = try #require(shown.json?[0]?["related"]?.arrayValue)
            #expect(related.count == 2, "\(shown.text)")
            let shownCount = try await client.get("/api/upload/files?populate[related][count]=true", authorization: someTypes)
            #expect(shownCount.json?[0]?["related"]?["count"] == 2, "\(shownCount.text)")
            let secretEntry = try #require(related.first { $0["__type"] == "api::secret.secret" })
            #expect(secretEntry["name"] == "s")
            #expect(secretEntry["token"] == nil, "private attribute leaked")
            #expect(secretEntry["code"] == nil, "globally private attribute leaked")
            #expect(!shown.text.contains("hunter2") && !shown.text.contains("C-1"))

            // Populated through a media field of an entry, the same rules apply.
            let nested = try await client.get("/api/articles?populate[cover][populate]=related", authorization: someTypes)
            #expect(nested.status == 200, "\(nested.text)")
            #expect(!nested.text.contains("hunter2") && !nested.text.contains("C-1"))
        }
    }

    @Test("upload paging cannot overflow and is capped by maxLimit")
    func paging() async throws {
        var project = mediaProject(config: ["api": ["rest": ["maxLimit": 2]]])
        project.enforceAccess = false
        try await TestStrata.run(project) { _, client in
            for name in ["a.png", "b.png", "c.png"] {
                #expect(try await client.send(.post, "/api/upload", multipart: multipart([(name, "image/png", try fixture("tiny.png"))])).status == 201)
            }
            let overflow = try await client.get("/api/upload/files?pagination[page]=3&pagination[pageSize]=4611686018427387904")
            #expect(overflow.status == 200, "the size is capped first, so page 3 is empty: \(overflow.text)")
            #expect(overflow.json?.arrayValue?.isEmpty == true)
            let page = try await client.get("/api/upload/files?pagination[page]=9223372036854775807&pagination[pageSize]=2")
            #expect(page.status == 400)
            #expect(page.error?["name"] == "PaginationError")
            #expect(try await client.get("/api/upload/files?pagination[pageSize]=50").json?.arrayValue?.count == 2)
            #expect(try await client.get("/api/upload/files?limit=-1").json?.arrayValue?.count == 2)
        }
    }

    @Test("very long file names are stored under a short hash, and names past 255 characters are refused")
    func longNames() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let long = String(repeating: "a", count: 240) + ".png"
            let stored = try await client.send(.post, "/api/upload", multipart: multipart([(long, "image/png", try fixture("tiny.png"))]))
            #expect(stored.status == 201, "\(stored.text)")
            #expect(stored.json?[0]?["name"]?.string == long)
            #expect((stored.json?[0]?["hash"]?.string?.utf8.count ?? 999) <= 171)
            let url = try #require(stored.json?[0]?["url"]?.string)
            #expect(try await client.get(url).status == 200)
            let tooLong = String(repeating: "b", count: 300) + ".txt"
            let refused = try await client.send(.post, "/api/upload", multipart: multipart([(tooLong, "text/plain", Array("x".utf8))]))
            #expect(refused.status == 400)
            #expect(refused.error?["name"] == "ValidationError")
        }
    }

    @Test("uploaded HTML, SVG and scripts are served as sandboxed downloads, images inline, nothing sniffed")
    func servedSafely() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let files: [(String, String?, [UInt8])] = [
                ("page.html", "text/html", Array("<script>alert(1)</script>".utf8)),
                ("icon.svg", "image/svg+xml", Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)),
                ("app.js", "text/javascript", Array("alert(1)".utf8)),
                ("pic.png", "image/png", try fixture("tiny.png")),
            ]
            var urls: [String: String] = [:]
            for file in files {
                let response = try await client.send(.post, "/api/upload", multipart: multipart([file]))
                #expect(response.status == 201, "\(response.text)")
                urls[file.0] = response.json?[0]?["url"]?.string
            }
            for name in ["page.html", "icon.svg", "app.js"] {
                let served = try await client.get(try #require(urls[name]))
                #expect(served.status == 200)
                #expect(served.header("x-content-type-options") == "nosniff")
                #expect(served.header("content-disposition") == "attachment", "\(name)")
                #expect(served.header("content-security-policy")?.contains("sandbox") == true, "\(name)")
            }
            let image = try await client.get(try #require(urls["pic.png"]))
            #expect(image.header("x-content-type-options") == "nosniff")
            #expect(image.header("content-disposition") == nil, "images stay inline")
        }
    }

    @Test("one request carries at most maxFiles files of at most maxTotalSize bytes together")
    func multipartLimits() async throws {
        let project = mediaProject(config: ["plugins": ["upload": ["config": ["maxFiles": 2, "maxTotalSize": 300]]]])
        try await TestStrata.run(project) { _, client in
            let small = Array(repeating: UInt8(ascii: "x"), count: 100)
            let two = try await client.send(.post, "/api/upload", multipart: multipart([("a.txt", "text/plain", small), ("b.txt", "text/plain", small)]))
            #expect(two.status == 201, "\(two.text)")
            let three = try await client.send(.post, "/api/upload", multipart: multipart([
                ("a.txt", "text/plain", small), ("b.txt", "text/plain", small), ("c.txt", "text/plain", small),
            ]))
            #expect(three.status == 400, "\(three.text)")
            #expect(three.error?["name"] == "ValidationError")
            let big = Array(repeating: UInt8(ascii: "y"), count: 200)
            let tooMuch = try await client.send(.post, "/api/upload", multipart: multipart([("a.txt", "text/plain", big), ("b.txt", "text/plain", big)]))
            #expect(tooMuch.status == 413, "\(tooMuch.text)")
            #expect(try await client.get("/api/upload/files").json?.arrayValue?.count == 2, "nothing of the refused requests was stored")
        }
    }

    @Test("linking an upload to an entry needs read access to its type, and says nothing about entries otherwise")
    func linkNeedsReadAccess() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let admin = "Bearer " + (try await strata.createToken("all", type: .fullAccess))
            let secret = try await client.post("/api/secrets", json: ["data": ["name": "s"]], authorization: admin)
            let id = try #require(secret.data?["id"]?.int)
            let uploader = "Bearer " + (try await strata.createToken("up", type: .custom, permissions: ["plugin::upload.content-api.upload"]))
            let body = { (refId: String) in
                multipart([("a.png", "image/png", try fixture("tiny.png"))], fields: [("ref", "api::secret.secret"), ("refId", refId), ("field", "picture")])
            }
            let existing = try await client.send(.post, "/api/upload", multipart: try body(String(id)), authorization: uploader)
            let missing = try await client.send(.post, "/api/upload", multipart: try body("999"), authorization: uploader)
            #expect(existing.status == 400 && missing.status == 400)
            #expect(existing.text == missing.text, "an existing and a missing entry answer alike")
            let reader = "Bearer " + (try await strata.createToken("rw", type: .custom, permissions: ["plugin::upload.content-api.upload", "api::secret.secret.find"]))
            #expect(try await client.send(.post, "/api/upload", multipart: try body(String(id)), authorization: reader).status == 201)
        }
    }
}
