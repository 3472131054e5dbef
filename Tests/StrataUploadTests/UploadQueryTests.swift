import Foundation
import HTTPTypes
import StrataCore
import StrataTesting
import Testing

@Suite("Upload API: queries on files")
struct UploadQueryTests {
    @Test("populate=related lists the entries a file is attached to; fields and private filters behave like Strapi")
    func populateRelated() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let upload = try await client.send(.post, "/api/upload", multipart: multipart([("tiny.png", "image/png", try fixture("tiny.png"))]))
            let id = try #require(upload.json?[0]?["id"]?.intValue)
            #expect(try await client.post("/api/articles", json: ["data": ["title": "Uses it", "gallery": [.int(id)]]]).status == 201)
            let populated = try await client.get("/api/upload/files?populate=related")
            #expect(populated.status == 200, "\(populated.text)")
            let related = populated.json?[0]?["related"]?.arrayValue
            #expect(related?.count == 1)
            #expect(related?.first?["title"] == "Uses it")
            #expect(related?.first?["__type"] == "api::article.article")

            let fields = try await client.get("/api/upload/files?fields[0]=name&fields[1]=url")
            #expect(fields.json?[0]?.objectValue?.keys.sorted() == ["documentId", "id", "name", "url"])
            let privateFilter = try await client.get("/api/upload/files?filters[folderPath][$eq]=/1")
            #expect(privateFilter.status == 400, "private attributes cannot be filtered: \(privateFilter.text)")
        }
    }
}
