import Foundation
import StrataCore
import Testing
@testable import StrataSchema

@Suite("Schema loading")
struct SchemaLoaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    @Test("the real Strapi project schemas under Tests/Fixtures load")
    func realFixtures() throws {
        let registry = try SchemaLoader().load(projectDirectory: Self.fixtures + "/epic-next-strapi-5-seed-data-schemas")
        #expect(registry.contentTypes.map(\.uid.rawValue) == ["api::global.global", "api::home-page.home-page"])
        #expect(registry.components.count == 6)
        let home = try #require(registry.contentType(try UID("api::home-page.home-page")))
        #expect(home.kind == .singleType)
        #expect(home.collectionName == "home_pages")
        #expect(home.draftAndPublish)
        #expect(home.attribute(named: "blocks")?.kind == .dynamiczone([try UID("layout.hero-section"), try UID("layout.features-section")]))
    }

    @Test("every schema set in ../shared/fixtures loads when present")
    func sharedFixtures() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/fixtures/strapi-exports")
        let sets = (try? FileManager.default.contentsOfDirectory(atPath: shared.path))?.filter { $0.hasSuffix("-schemas") } ?? []
        for set in sets {
            let registry = try SchemaLoader().load(projectDirectory: shared.appendingPathComponent(set).path)
            #expect(!registry.contentTypes.isEmpty, "\(set)")
        }
    }

    @Test("system attributes are added after the user's")
    func systemAttributes() throws {
        let type = try SchemaParser().contentType(uid: try UID("api::article.article"), json: [
            "kind": "collectionType", "info": ["singularName": "article", "pluralName": "articles"], "attributes": ["title": ["type": "string"]],
        ])
        #expect(type.attributes.map(\.name) == ["title", "createdAt", "updatedAt", "publishedAt", "createdBy", "updatedBy", "locale", "localizations"])
        #expect(type.attribute(named: "createdBy")?.isPrivate == true)
        #expect(type.attribute(named: "createdAt")?.writable == false)
        #expect(type.attribute(named: "publishedAt")?.writable == true)
        #expect(type.draftAndPublish, "draftAndPublish defaults to true")
        #expect(type.collectionName == "articles")
    }

    func project(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root.path
    }

    static let article = "src/api/article/content-types/article/schema.json"

    static func articleSchema(_ attributes: String, extra: String = "") -> String {
        #"{"kind":"collectionType","collectionName":"articles","info":{"singularName":"article","pluralName":"articles"},"attributes":{\#(attributes)}\#(extra)}"#
    }

    @Test("a broken schema names the file, the attribute and the reason", arguments: [
        (SchemaLoaderTests.articleSchema(#""title":{"type":"strin"}"#), "src/api/article/content-types/article/schema.json: attribute \"title\": unknown type \"strin\""),
        (#"{"kind":"collectionType","#, "src/api/article/content-types/article/schema.json: invalid JSON: Unexpected end of JSON input at position 25"),
        (#"{"kind":"list","info":{"singularName":"article","pluralName":"articles"}}"#, "src/api/article/content-types/article/schema.json: unknown kind \"list\" (expected collectionType or singleType)"),
        (#"{"info":{"singularName":"Article","pluralName":"articles"}}"#, "src/api/article/content-types/article/schema.json: \"info.singularName\" must be a kebab-case string"),
        (SchemaLoaderTests.articleSchema(#""seo":{"type":"component","component":"shared.seo"}"#), "src/api/article/content-types/article/schema.json: attribute \"seo\": unknown component \"shared.seo\""),
        (SchemaLoaderTests.articleSchema(#""author":{"type":"relation","relation":"manyToOne","target":"api::author.author"}"#), "src/api/article/content-types/article/schema.json: attribute \"author\": relation target \"api::author.author\" does not exist"),
        (SchemaLoaderTests.articleSchema(#""createdAt":{"type":"datetime"}"#), "src/api/article/content-types/article/schema.json: attribute \"createdAt\": is reserved by Strapi and cannot be used; rename it"),
        (SchemaLoaderTests.articleSchema(#""document_id":{"type":"string"}"#), "src/api/article/content-types/article/schema.json: attribute \"document_id\": is reserved by Strapi and cannot be used; rename it"),
        (SchemaLoaderTests.articleSchema(#""slug":{"type":"uid","targetField":"name"}"#), "src/api/article/content-types/article/schema.json: attribute \"slug\": targetField \"name\" does not exist"),
    ])
    func brokenSchemas(text: String, message: String) throws {
        let directory = try project([Self.article: text])
        #expect(throws: SchemaError.self) { try SchemaLoader().load(projectDirectory: directory) }
        do {
            _ = try SchemaLoader().load(projectDirectory: directory)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("inverse relation sides must match")
    func inverseMismatch() throws {
        let directory = try project([
            Self.article: Self.articleSchema(#""author":{"type":"relation","relation":"manyToOne","target":"api::author.author","inversedBy":"posts"}"#),
            "src/api/author/content-types/author/schema.json": #"{"info":{"singularName":"author","pluralName":"authors"},"attributes":{"articles":{"type":"relation","relation":"oneToMany","target":"api::article.article","mappedBy":"author"}}}"#,
        ])
        #expect {
            try SchemaLoader().load(projectDirectory: directory)
        } throws: { error in
            (error as? SchemaError)?.reason == "inversedBy \"posts\" is not a relation of api::author.author"
        }
    }

    @Test("components that contain themselves are refused")
    func componentCycle() throws {
        let directory = try project([
            "src/components/a/x.json": #"{"collectionName":"components_a_xs","attributes":{"y":{"type":"component","component":"a.y"}}}"#,
            "src/components/a/y.json": #"{"collectionName":"components_a_ys","attributes":{"x":{"type":"component","component":"a.x","repeatable":true}}}"#,
        ])
        #expect {
            try SchemaLoader().load(projectDirectory: directory)
        } throws: { error in
            (error as? SchemaError)?.reason.hasPrefix("components nest in a cycle") == true
        }
    }

    @Test("duplicate plural names across content types are refused")
    func duplicateNames() throws {
        let directory = try project([
            Self.article: Self.articleSchema(""),
            "src/api/post/content-types/post/schema.json": #"{"collectionName":"posts","info":{"singularName":"post","pluralName":"articles"},"attributes":{}}"#,
        ])
        #expect(throws: SchemaError.self) { try SchemaLoader().load(projectDirectory: directory) }
    }
}
