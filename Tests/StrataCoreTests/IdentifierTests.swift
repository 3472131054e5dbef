import Testing
@testable import StrataCore

@Suite("Identifiers and names")
struct IdentifierTests {
    @Test("snake_case matches lodash", arguments: [
        ("isChecked", "is_checked"), ("decimal_field", "decimal_field"), ("subHeading", "sub_heading"),
        ("HTMLParser", "html_parser"), ("field1", "field_1"), ("address2Line", "address_2_line"), ("ABC", "abc"),
        ("ABCdef", "ab_cdef"), ("home-page", "home_page"), ("big_rank", "big_rank"), ("metaTitle", "meta_title"),
        ("createdAt", "created_at"), ("products_ow", "products_ow"), ("myCompo", "my_compo"), ("Hello World", "hello_world"),
        ("__component", "component"), ("a1st", "a_1st"), ("already_snake_2", "already_snake_2"),
    ])
    func snakeCase(input: String, expected: String) {
        #expect(input.snakeCased == expected)
    }

    @Test("uids parse with Strapi's grammar")
    func uids() throws {
        let api = try UID("api::article.article")
        #expect(api.namespace == .api("article"))
        #expect(api.name == "article")
        #expect(try UID("plugin::upload.file").namespace == .plugin("upload"))
        #expect(try UID("admin::user").namespace == .admin)
        #expect(try UID("shared.seo").namespace == .component(category: "shared"))
        for bad in ["api::article", "article", "foo::bar.baz", "api::.x", "shared.", ".seo", "a.b.c"] {
            #expect(throws: UIDError.self) { try UID(bad) }
        }
    }

    @Test("document ids have cuid2's shape")
    func documentIDs() {
        let generator = RandomDocumentIDGenerator()
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = generator.next()
            #expect(RandomDocumentIDGenerator.isValid(id))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
        #expect(!RandomDocumentIDGenerator.isValid("1bcdefghijklmnopqrstuvwx"))
        #expect(!RandomDocumentIDGenerator.isValid("abc"))
    }

    @Test("errors carry Strapi's names, statuses and envelope")
    func errors() {
        let error = ValidationError(fieldErrors: [.init(path: ["title"], message: "title must be defined.")])
        #expect(error.status == 400)
        #expect(JSONWriter.string(error.envelopeError) == #"{"status":400,"name":"ValidationError","message":"title must be defined.","details":{"errors":[{"path":["title"],"message":"title must be defined.","name":"ValidationError"}]}}"#)
        let two = ValidationError(fieldErrors: [.init(path: ["a"], message: "x"), .init(path: ["b"], message: "y")])
        #expect(two.message == "2 errors occurred")
        #expect(NotFoundError().status == 404)
        #expect(ForbiddenError().status == 403)
        #expect(UnauthorizedError().status == 401)
        #expect(PayloadTooLargeError().status == 413)
        #expect(InternalServerError().envelopeError["message"] == "Internal Server Error")
        #expect(ValidationError.invalidKey("foo", source: "query", param: "filters").message == "Invalid key foo")
        #expect(ValidationError.invalidKey("foo", path: "author.foo", source: "query").message == "Invalid key foo at author.foo")
    }
}
