import Foundation
import StrataCore
import StrataDataTransfer
import StrataServer
import StrataDocuments
import StrataTesting
import Testing

/// Relations, media, components, dynamic zones, locales and drafts survive export → import.
@Suite("Round trip of every kind of content")
struct ContentRoundTripTests {
    static let project: TestProject = {
        var project = TestProject(
            contentTypes: [
                ("api::author.author", TestProject.collectionType("author", attributes: [
                    "name": ["type": "string"],
                    "articles": ["type": "relation", "relation": "oneToMany", "target": "api::article.article", "mappedBy": "author"],
                ])),
                ("api::tag.tag", TestProject.collectionType("tag", attributes: ["name": ["type": "string"]])),
                ("api::article.article", TestProject.collectionType("article", draftAndPublish: true, localized: true, attributes: [
                    "title": ["type": "string"],
                    "views": ["type": "integer", "pluginOptions": ["i18n": ["localized": false]]],
                    "author": ["type": "relation", "relation": "manyToOne", "target": "api::author.author", "inversedBy": "articles"],
                    "tags": ["type": "relation", "relation": "manyToMany", "target": "api::tag.tag"],
                    "cover": ["type": "media", "multiple": false, "allowedTypes": ["images"]],
                    "gallery": ["type": "media", "multiple": true],
                    "seo": ["type": "component", "component": "shared.seo"],
                    "blocks": ["type": "dynamiczone", "components": ["shared.quote", "shared.seo"]],
                ])),
            ],
            components: [
                ("shared.seo", ["collectionName": "components_shared_seos", "info": ["displayName": "Seo"], "attributes": [
                    "metaTitle": ["type": "string"],
                    "image": ["type": "media", "multiple": false],
                    "tag": ["type": "relation", "relation": "oneToOne", "target": "api::tag.tag"],
                ]]),
                ("shared.quote", ["collectionName": "components_shared_quotes", "info": ["displayName": "Quote"], "attributes": [
                    "body": ["type": "text"],
                    "quotes": ["type": "component", "component": "shared.seo", "repeatable": true],
                ]]),
            ]
        )
        project.config["plugins"] = [:]
        return project
    }()

    static let queries = [
        "/api/articles?populate=*&sort=title",
        "/api/articles?populate=*&locale=fr",
        "/api/articles?status=draft&populate[author]=true&populate[tags]=true&populate[seo][populate]=*",
        "/api/articles?populate[blocks][on][shared.quote][populate][quotes][populate]=*&populate[blocks][on][shared.seo][populate]=*&populate[gallery]=true",
        "/api/authors?populate[articles][populate]=tags&sort=name",
        "/api/tags?sort=name",
    ]

    func seed(_ strata: TestStrata, _ client: StrataClient) async throws {
        try await strata.addLocale("fr")
        var files: [Int64] = []
        for name in ["a.png", "b.png", "c.png"] {
            let file = try await strata.createFile(name: name)
            files.append(file["id"]!.intValue!)
            let url = file["url"]!.stringValue!
            try Data("bytes of \(name)".utf8).write(to: strata.uploads.appendingPathComponent(String(url.dropFirst("/uploads/".count))))
        }
        var tags: [String] = []
        for name in ["swift", "cms", "strapi"] {
            tags.append(try await client.post("/api/tags", json: ["data": ["name": .string(name)]]).data!["documentId"]!.stringValue!)
        }
        let ada = try await client.post("/api/authors", json: ["data": ["name": "Ada"]]).data!["documentId"]!.stringValue!
        _ = try await client.post("/api/authors", json: ["data": ["name": "Linus"]])
        let article = try await client.post("/api/articles", json: ["data": [
            "title": "Hello", "views": 7, "author": .string(ada), "tags": [.string(tags[0]), .string(tags[2])],
            "cover": .int(files[0]), "gallery": [.int(files[1]), .int(files[2])],
            "seo": ["metaTitle": "Meta", "image": .int(files[2]), "tag": .string(tags[1])],
            "blocks": [
                ["__component": "shared.quote", "body": "Quoted", "quotes": [["metaTitle": "Q1", "image": .int(files[0])], ["metaTitle": "Q2"]]],
                ["__component": "shared.seo", "metaTitle": "Block seo", "tag": .string(tags[0])],
            ],
        ]])
        #expect(article.status == 201, "\(article.text)")
        let documentId = article.data!["documentId"]!.stringValue!
        let french = try await client.put("/api/articles/\(documentId)?locale=fr", json: ["data": ["title": "Bonjour", "author": .string(ada)]])
        #expect(french.status == 200, "\(french.text)")
        let draft = try await client.put("/api/articles/\(documentId)?status=draft", json: ["data": ["title": "Hello (draft)"]])
        #expect(draft.status == 200, "\(draft.text)")
        _ = try await client.post("/api/articles?status=draft", json: ["data": ["title": "Never published"]])
    }

    @Test func everyKindOfContentSurvives() async throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("content.tar.gz").path
        let source = try await TestStrata.boot(Self.project)
        let expected: [String] = try await source.test { client in
            try await seed(source, client)
            var responses: [String] = []
            for query in Self.queries {
                let response = try await client.get(query)
                #expect(response.status == 200, "\(query): \(response.text)")
                responses.append(JSONWriter.string(withoutIDs(response.json!)))
            }
            return responses
        }
        // The responses really carry every kind of content (so the comparison below means something).
        #expect(expected[0].contains("\"Ada\"") && expected[0].contains("\"Meta\"") && expected[0].contains("a.png"))
        #expect(expected[1].contains("Bonjour") && expected[2].contains("Hello (draft)") && expected[2].contains("Never published"))
        #expect(expected[3].contains("Q1") && expected[3].contains("Block seo") && expected[3].contains("c.png"))
        #expect(expected[4].contains("strapi") && expected[4].contains("Hello"))
        let exported = try await source.exporter.export(to: path, format: ArchiveFormat(compressed: true, encryption: nil), key: nil)
        try await source.shutdown()
        #expect(exported.skipped == [])
        #expect(exported.assets.count == 3)

        let target = try await TestStrata.boot(Self.project)
        let imported = try await target.importer.import(from: path, key: nil)
        #expect(imported.skipped == [])
        #expect(imported.entities == exported.entities)
        #expect(imported.links.count == exported.links.count)
        let actual: [String] = try await target.test { client in
            var responses: [String] = []
            for query in Self.queries { responses.append(JSONWriter.string(withoutIDs(try await client.get(query).json!))) }
            return responses
        }
        for (query, (want, got)) in zip(Self.queries, zip(expected, actual)) {
            #expect(got == want, "\(query)")
        }
        let locales = try await target.app.locales.list().map(\.code).sorted()
        #expect(locales == ["en", "fr"])
        for name in ["a_png_0123456789.png", "c_png_0123456789.png"] {
            #expect(try String(contentsOf: target.uploads.appendingPathComponent(name), encoding: .utf8).hasPrefix("bytes of"))
        }
        try await target.shutdown()
    }
}
