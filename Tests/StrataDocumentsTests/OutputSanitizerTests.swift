import StrataCore
import StrataSchema
import Testing
@testable import StrataDocuments

@Suite("Output sanitizer")
struct OutputSanitizerTests {
    let sanitizer: OutputSanitizer
    let article = try! UID("api::article.article")

    init() throws {
        let parser = SchemaParser()
        let article = try parser.contentType(uid: try UID("api::article.article"), json: try JSONParser.parse(#"""
            {"collectionName":"articles","info":{"singularName":"article","pluralName":"articles"},
             "attributes":{"title":{"type":"string"},"secret":{"type":"password"},"note":{"type":"string","private":true},
               "author":{"type":"relation","relation":"manyToOne","target":"api::author.author"},
               "seo":{"type":"component","component":"shared.seo"},
               "blocks":{"type":"dynamiczone","components":["shared.seo"]}}}
            """#))
        let author = try parser.contentType(uid: try UID("api::author.author"), json: try JSONParser.parse(#"""
            {"collectionName":"authors","info":{"singularName":"author","pluralName":"authors"},
             "attributes":{"name":{"type":"string"},"email":{"type":"email","private":true}}}
            """#))
        let seo = try parser.component(uid: try UID("shared.seo"), json: try JSONParser.parse(#"""
            {"collectionName":"components_shared_seos","info":{"displayName":"seo"},
             "attributes":{"metaTitle":{"type":"string"},"token":{"type":"password"}}}
            """#))
        sanitizer = OutputSanitizer(registry: try SchemaRegistry(contentTypes: [article, author], components: [seo]), globalPrivateAttributes: ["internal"])
    }

    func document(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(json) else { throw ValidationError("not an object") }
        return object
    }

    @Test("a page of rows with the same keys keeps nothing hidden, at every level")
    func page() throws {
        let rows = try (1...3).map { index in
            try document(#"{"id":\#(index),"title":"t\#(index)","secret":"pw","note":"n","internal":1,"#
                + #""author":{"id":9,"name":"A","email":"a@x.io"},"seo":{"id":1,"metaTitle":"m","token":"x"},"#
                + #""blocks":[{"__component":"shared.seo","id":2,"metaTitle":"b","token":"y"}]}"#)
        }
        let page = sanitizer.sanitize(rows, uid: article)
        #expect(page.count == 3)
        for (index, row) in page.enumerated() {
            #expect(JSONWriter.string(.object(row)) == #"{"id":\#(index + 1),"title":"t\#(index + 1)","author":{"id":9,"name":"A"},"#
                + #""seo":{"id":1,"metaTitle":"m"},"blocks":[{"__component":"shared.seo","id":2,"metaTitle":"b"}]}"#)
            #expect(row == sanitizer.sanitize(rows[index], uid: article))
        }
    }

    @Test("rows with different keys (fields, populate) are each sanitized by their own keys")
    func mixedKeys() throws {
        let rows = [
            try document(#"{"id":1,"title":"a"}"#),
            try document(#"{"id":2,"secret":"pw","title":"b"}"#),
            try document(#"{"id":3,"title":"c"}"#),
            try document(#"{"id":4,"author":[{"id":1,"email":"e"},{"id":2,"name":"n","email":"f"}],"note":"x"}"#),
        ]
        let page = sanitizer.sanitize(rows, uid: article).map { JSONWriter.string(.object($0)) }
        #expect(page == [#"{"id":1,"title":"a"}"#, #"{"id":2,"title":"b"}"#, #"{"id":3,"title":"c"}"#,
                         #"{"id":4,"author":[{"id":1},{"id":2,"name":"n"}]}"#])
    }

    @Test("relation counts and unknown models pass through")
    func passThrough() throws {
        let counted = try document(#"{"id":1,"author":{"count":3}}"#)
        #expect(sanitizer.sanitize([counted], uid: article) == [counted])
        let other = try document(#"{"id":1,"secret":"kept: no plan for this model"}"#)
        #expect(sanitizer.sanitize([other], uid: try UID("api::unknown.unknown")) == [other])
    }

    @Test("the key plan kept across calls follows the keys: alternating shapes never reuse the wrong plan")
    func keptPlanAcrossCalls() async throws {
        // Rows of one query share their keys array; the plan kept for the model is reused for them
        // and replaced when another shape comes, also from concurrent callers.
        let keys = ["id", "title", "secret", "note"]
        let full = JSONObject(uniqueKeys: keys, values: [.int(1), .string("t"), .string("pw"), .string("n")])
        let narrow = JSONObject(uniqueKeys: ["id", "title"], values: [.int(2), .string("u")])
        let hidden = JSONObject(uniqueKeys: ["title", "secret"], values: [.string("v"), .string("pw")])
        let expected = [#"{"id":1,"title":"t"}"#, #"{"id":2,"title":"u"}"#, #"{"title":"v"}"#]
        let sanitizer = self.sanitizer, article = self.article
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<200 {
                        let inputs = [full, narrow, hidden]
                        let index = (worker + round) % 3
                        let output = JSONWriter.string(.object(sanitizer.sanitize(inputs[index], uid: article)))
                        guard output == expected[index] else { throw ValidationError("round \(round): \(output)") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
