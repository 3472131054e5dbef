import Foundation
import HTTPTypes
import StrataCore
import StrataTesting
import Testing

/// Answers recorded byte for byte: a fixed session of reads, writes and errors through every
/// door (the content types' routes, `/upload`, `/users`) as several kinds of callers. A
/// refactoring that changes any status, header that matters, or byte of a body fails here.
///
/// After an intended change of behaviour, record again with
/// `STRATA_RECORD_ANSWERS=1 swift test --filter RecordedAnswersTests` and review the diff of
/// `Recorded/answers.txt`.
@Suite("REST: recorded answers")
struct RecordedAnswersTests {
    static let recording = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Recorded/answers.txt")

    static var project: TestProject {
        var project = Blog.project
        project.contentTypes.append(("api::homepage.homepage", TestProject.singleType("homepage", attributes: [
            "headline": ["type": "string", "required": true],
            "note": ["type": "string", "private": true],
        ])))
        project.enforceAccess = true
        project.config = [
            "api": ["rest": ["maxLimit": 50], "responses": ["privateAttributes": ["metaDescription"]]],
            "plugins": ["users-permissions": ["config": ["jwtSecret": "recorded-answers-secret", "ratelimit": ["max": 1000]]]],
        ]
        return project
    }

    /// One request of the session.
    struct Step: Sendable {
        let caller: String
        let method: HTTPRequest.Method
        let path: String
        var body: JSONValue?
    }

    @Test("a fixed session answers exactly as recorded")
    func session() async throws {
        let recorded = LockedValue("")
        try await TestStrata.run(Self.project) { strata, client in
            let full = "Bearer " + (try await strata.createToken("full", type: .fullAccess))
            let readOnly = "Bearer " + (try await strata.createToken("read", type: .readOnly))
            let articlesOnly = "Bearer " + (try await strata.createToken("articles", type: .custom, permissions: [
                "api::article.article.find", "api::article.article.findOne", "plugin::upload.content-api.find",
            ]))
            try await strata.grant("public", "api::category.category.find", "api::homepage.homepage.find")
            let callers = ["full": full, "read": readOnly, "articles": articlesOnly, "public": ""]

            let file = try await strata.createFile(name: "cover.png")
            let fileID = try #require(file["id"]?.intValue)
            var steps: [Step] = [
                Step(caller: "full", method: .post, path: "/api/authors", body: ["data": ["name": "Ada", "email": "ada@example.com"]]),
                Step(caller: "full", method: .post, path: "/api/authors", body: ["data": ["name": "Grace", "email": "grace@example.com"]]),
                Step(caller: "full", method: .post, path: "/api/categories?status=published", body: ["data": ["name": "news"]]),
                Step(caller: "full", method: .post, path: "/api/categories?status=published", body: ["data": ["name": "tech"]]),
                Step(caller: "full", method: .post, path: "/api/categories", body: ["data": ["name": "draft only"]]),
            ]
            var answers: [String] = []
            for step in steps { answers.append(try await Self.run(step, callers, client)) }
            // Ids of what the first steps created, for the steps that link to them.
            let authors = try await client.get("/api/authors?sort=name", authorization: full).json?["data"]?.arrayValue?.compactMap { $0["documentId"]?.stringValue } ?? []
            let categories = try await client.get("/api/categories?sort=name&status=draft", authorization: full).json?["data"]?.arrayValue?.compactMap { $0["documentId"]?.stringValue } ?? []
            try #require(authors.count == 2 && categories.count == 3)
            steps = [
                Step(caller: "full", method: .post, path: "/api/articles?status=published&populate=*", body: ["data": [
                    "title": "First", "author": .string(authors[0]), "categories": [.string(categories[1]), .string(categories[2])],
                    "seo": ["metaTitle": "SEO", "metaDescription": "hidden globally"], "cover": .int(Int64(fileID)),
                    "blocks": [["__component": "shared.quote", "title": "Q", "body": "B"], ["__component": "shared.rich-text", "body": "# R"]],
                ]]),
                Step(caller: "full", method: .post, path: "/api/articles", body: ["data": ["title": "Second draft", "author": .string(authors[1])]]),
                Step(caller: "full", method: .post, path: "/api/articles?status=published", body: ["data": ["title": "Third", "categories": ["connect": [.string(categories[0])]]]]),
                Step(caller: "full", method: .put, path: "/api/homepage", body: ["data": ["headline": "Welcome", "note": "internal"]]),
                Step(caller: "full", method: .get, path: "/api/articles"),
                Step(caller: "full", method: .get, path: "/api/articles?populate=*&sort=title:desc"),
                Step(caller: "full", method: .get, path: "/api/articles?status=draft&fields[0]=title&pagination[pageSize]=2&pagination[page]=2"),
                Step(caller: "full", method: .get, path: "/api/articles?filters[author][name][$eq]=Ada&populate[author][fields][0]=name"),
                Step(caller: "full", method: .get, path: "/api/articles?filters[categories][name][$in][0]=news&filters[categories][name][$in][1]=tech&populate[categories][sort]=name:desc"),
                Step(caller: "full", method: .get, path: "/api/articles?populate[seo]=true&populate[blocks][on][shared.quote][fields][0]=title&populate[categories][count]=true"),
                Step(caller: "full", method: .get, path: "/api/articles?_q=thi&pagination[withCount]=false&pagination[start]=0&pagination[limit]=1"),
                Step(caller: "full", method: .get, path: "/api/articles?sort=author.name:asc&fields=title"),
                Step(caller: "full", method: .get, path: "/api/authors?populate[articles][filters][title][$startsWith]=F"),
                Step(caller: "full", method: .get, path: "/api/authors?filters[email][$contains]=ada"),
                Step(caller: "full", method: .get, path: "/api/articles?populate=nope"),
                Step(caller: "full", method: .get, path: "/api/articles?pagination[page]=0"),
                Step(caller: "full", method: .get, path: "/api/articles?pagination[page]=1&pagination[start]=1"),
                Step(caller: "full", method: .get, path: "/api/articles/doesnotexist"),
                Step(caller: "full", method: .get, path: "/api/homepage?populate=*"),
                Step(caller: "read", method: .get, path: "/api/articles?fields[0]=title&populate[author][fields][0]=name&sort=title"),
                Step(caller: "read", method: .post, path: "/api/articles", body: ["data": ["title": "Nope"]]),
                Step(caller: "articles", method: .get, path: "/api/articles?populate=author"),
                Step(caller: "articles", method: .get, path: "/api/articles?populate=*&sort=title"),
                Step(caller: "articles", method: .get, path: "/api/articles?sort=author.name"),
                Step(caller: "articles", method: .get, path: "/api/articles?filters[author][name]=Ada"),
                Step(caller: "articles", method: .get, path: "/api/authors"),
                Step(caller: "articles", method: .get, path: "/api/upload/files?populate=related"),
                Step(caller: "articles", method: .get, path: "/api/upload/files?populate[related][count]=true&fields[0]=name"),
                Step(caller: "public", method: .get, path: "/api/categories?sort=name"),
                Step(caller: "public", method: .get, path: "/api/categories?populate=articles"),
                Step(caller: "public", method: .get, path: "/api/articles"),
                Step(caller: "public", method: .get, path: "/api/homepage"),
                Step(caller: "public", method: .get, path: "/api/users"),
                Step(caller: "full", method: .get, path: "/api/users?populate=role"),
                Step(caller: "full", method: .put, path: "/api/articles/doesnotexist", body: ["data": ["title": "x"]]),
            ]
            for step in steps { answers.append(try await Self.run(step, callers, client)) }
            let second = try await Self.documentId("Second draft", full, client)
            let third = try await Self.documentId("Third", full, client)
            steps = [
                Step(caller: "full", method: .put, path: "/api/articles/\(second)?populate[author][fields][0]=name", body: ["data": ["title": "Second, edited", "author": .string(authors[0])]]),
                Step(caller: "full", method: .put, path: "/api/articles/\(second)", body: ["title": "no data"]),
                Step(caller: "full", method: .post, path: "/api/articles", body: ["data": ["title": "Bad relation", "author": ["connect": ["nope"]]]]),
                Step(caller: "full", method: .post, path: "/api/articles", body: ["data": ["title": "Bad key", "unknown": 1]]),
                Step(caller: "full", method: .delete, path: "/api/articles/\(third)"),
                Step(caller: "full", method: .get, path: "/api/articles?status=draft&sort=title&populate[categories][fields][0]=name"),
                Step(caller: "full", method: .delete, path: "/api/homepage"),
                Step(caller: "full", method: .get, path: "/api/homepage"),
            ]
            for step in steps { answers.append(try await Self.run(step, callers, client)) }
            let transcript = answers.joined(separator: "\n")
            recorded.withLock { $0 = transcript }
        }
        let transcript = recorded.value
        if ProcessInfo.processInfo.environment["STRATA_RECORD_ANSWERS"] == "1" {
            try FileManager.default.createDirectory(at: Self.recording.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((transcript + "\n").utf8).write(to: Self.recording)
            return
        }
        let expected = try String(contentsOf: Self.recording, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let actual = (transcript + "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in actual.enumerated() where index >= expected.count || expected[index] != line {
            Issue.record("line \(index + 1) differs\nrecorded: \(index < expected.count ? expected[index] : "(nothing)")\nanswered: \(line)")
            return
        }
        #expect(actual.count == expected.count, "the recording has more steps than the session")
    }

    static func documentId(_ title: String, _ authorization: String, _ client: StrataClient) async throws -> String {
        let found = try await client.get("/api/articles?status=draft&filters[title][$eq]=\(title.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? title)", authorization: authorization)
        return try #require(found.json?["data"]?[0]?["documentId"]?.stringValue, "\(title): \(found.text)")
    }

    /// `METHOD path as caller` then the status, the content type and the body, one line each.
    static func run(_ step: Step, _ callers: [String: String], _ client: StrataClient) async throws -> String {
        var headers = HTTPFields()
        if let authorization = callers[step.caller], !authorization.isEmpty { headers[.authorization] = authorization }
        let response = try await client.send(step.method, step.path, body: step.body.map { JSONWriter.string($0) }, headers: headers)
        return """
            \(step.method.rawValue) \(step.path) as \(step.caller)
            \(response.status) \(response.headers[.contentType] ?? "-")
            \(response.text)
            """
    }
}
