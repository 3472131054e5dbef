import StrataCore
import StrataTesting
import Testing

/// A small blog: articles (draft & publish) with an author, categories, an SEO component, a cover
/// image and a dynamic zone.
enum Blog {
    static let project = TestProject(
        contentTypes: [
            ("api::article.article", TestProject.collectionType("article", draftAndPublish: true, attributes: [
                "title": ["type": "string"],
                "author": ["type": "relation", "relation": "manyToOne", "target": "api::author.author", "inversedBy": "articles"],
                "categories": ["type": "relation", "relation": "manyToMany", "target": "api::category.category", "inversedBy": "articles"],
                "seo": ["type": "component", "component": "shared.seo"],
                "cover": ["type": "media", "multiple": false],
                "gallery": ["type": "media", "multiple": true],
                "blocks": ["type": "dynamiczone", "components": ["shared.quote", "shared.rich-text"]],
            ])),
            ("api::author.author", TestProject.collectionType("author", attributes: [
                "name": ["type": "string"],
                "email": ["type": "email", "private": true],
                "articles": ["type": "relation", "relation": "oneToMany", "target": "api::article.article", "mappedBy": "author"],
            ])),
            ("api::category.category", TestProject.collectionType("category", plural: "categories", draftAndPublish: true, attributes: [
                "name": ["type": "string"],
                "articles": ["type": "relation", "relation": "manyToMany", "target": "api::article.article", "mappedBy": "categories"],
            ])),
        ],
        components: [
            ("shared.seo", ["collectionName": "components_shared_seos", "attributes": [
                "metaTitle": ["type": "string", "required": true], "metaDescription": ["type": "text"], "shareImage": ["type": "media"],
            ]]),
            ("shared.quote", ["collectionName": "components_shared_quotes", "attributes": ["title": ["type": "string"], "body": ["type": "text"]]]),
            ("shared.rich-text", ["collectionName": "components_shared_rich_texts", "attributes": ["body": ["type": "richtext"]]]),
        ]
    )

    /// Two authors, three categories, and `count` published articles by the first author.
    static func seed(_ client: StrataClient, articles count: Int = 2) async throws -> (authors: [String], categories: [String], articles: [String]) {
        var authors: [String] = []
        for name in ["Ada", "Grace"] {
            authors.append(try await client.post("/api/authors", json: ["data": ["name": .string(name), "email": .string("\(name)@example.com")]]).data!["documentId"]!.stringValue!)
        }
        var categories: [String] = []
        for name in ["news", "tech", "art"] {
            categories.append(try await client.post("/api/categories", json: ["data": ["name": .string(name)]]).data!["documentId"]!.stringValue!)
        }
        var articles: [String] = []
        for index in 0..<count {
            let response = try await client.post("/api/articles", json: ["data": [
                "title": .string("Article \(index)"),
                "author": .string(authors[0]),
                "categories": [.string(categories[1]), .string(categories[0])],
                "seo": ["metaTitle": .string("SEO \(index)")],
                "blocks": [["__component": "shared.quote", "title": "Q", "body": "B"], ["__component": "shared.rich-text", "body": "# R"]],
            ]])
            #expect(response.status == 201, "\(response.text)")
            articles.append(response.data!["documentId"]!.stringValue!)
        }
        return (authors, categories, articles)
    }
}

@Suite("REST: populate")
struct PopulateTests {
    @Test("populate=* returns every relation, component, media and dynamic zone one level deep, in Strapi's shapes")
    func wildcard() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let seeded = try await Blog.seed(client, articles: 1)
            let response = try await client.get("/api/articles/\(seeded.articles[0])?populate=*")
            let data = try #require(response.data)
            #expect(data["author"]?["name"] == "Ada")
            #expect(data["author"]?["email"] == nil, "private attributes are removed from populated relations")
            #expect(data["author"]?["articles"] == nil, "one level only")
            #expect(data["categories"]?.arrayValue?.compactMap { $0["name"] } == ["tech", "news"], "link order is kept")
            #expect(data["seo"]?.objectValue?.keys == ["id", "metaTitle", "metaDescription"])
            #expect(data["seo"]?["shareImage"] == nil, "media inside components needs a nested populate")
            #expect(data["cover"] == .null)
            #expect(data["gallery"] == [])
            #expect(data["blocks"]?[0]?.objectValue?.keys == ["__component", "id", "title", "body"])
            #expect(data["blocks"]?[1]?["__component"] == "shared.rich-text")
            #expect(data["localizations"] == [])
            #expect(data["createdBy"] == nil && data["updatedBy"] == nil)
            // Populated keys come after the document's own fields.
            #expect(data.objectValue?.keys.prefix(7) == ["id", "documentId", "title", "createdAt", "updatedAt", "publishedAt", "locale"])
        }
    }

    @Test("names, arrays, comma lists and dot paths")
    func forms() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let seeded = try await Blog.seed(client, articles: 1)
            let id = seeded.articles[0]
            for query in ["populate=author", "populate[0]=author", "populate=author,seo", "populate[author]=true", "populate[author]=*"] {
                let response = try await client.get("/api/articles/\(id)?\(query)")
                #expect(response.data?["author"]?["name"] == "Ada", "\(query)")
                #expect(response.data?["categories"] == nil, "\(query)")
            }
            let nested = try await client.get("/api/articles/\(id)?populate=author.articles")
            #expect(nested.data?["author"]?["articles"]?.arrayValue?.count == 1)
            let deep = try await client.get("/api/authors/\(seeded.authors[0])?populate[articles][populate][categories][fields][0]=name")
            #expect(deep.data?["articles"]?[0]?["categories"]?[0]?.objectValue?.keys == ["id", "documentId", "name"])
        }
    }

    @Test("fields, filters, sort, count and pagination inside a populate")
    func options() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let seeded = try await Blog.seed(client, articles: 1)
            let id = seeded.articles[0]
            let fields = try await client.get("/api/articles/\(id)?populate[categories][fields][0]=name")
            #expect(fields.data?["categories"]?[0]?.objectValue?.keys == ["id", "documentId", "name"])
            let sorted = try await client.get("/api/articles/\(id)?populate[categories][sort]=name:asc")
            #expect(sorted.data?["categories"]?.arrayValue?.compactMap { $0["name"] } == ["news", "tech"])
            let filtered = try await client.get("/api/articles/\(id)?populate[categories][filters][name][$eq]=tech")
            #expect(filtered.data?["categories"]?.arrayValue?.compactMap { $0["name"] } == ["tech"])
            #expect(filtered.data?["title"] == "Article 0", "populate filters never filter the parent")
            let counted = try await client.get("/api/articles/\(id)?populate[categories][count]=true")
            #expect(counted.data?["categories"] == ["count": 2])
            let limited = try await client.get("/api/articles/\(id)?populate[categories][limit]=1")
            #expect(limited.data?["categories"]?.arrayValue?.count == 1)
        }
    }

    @Test("dynamic zone fragments populate per component")
    func fragments() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let seeded = try await Blog.seed(client, articles: 1)
            let response = try await client.get("/api/articles/\(seeded.articles[0])?populate[blocks][on][shared.quote][fields][0]=title")
            #expect(response.data?["blocks"]?[0]?.objectValue?.keys == ["__component", "id", "title"])
            #expect(response.data?["blocks"]?[1]?["body"] == "# R")
            let all = try await client.get("/api/articles/\(seeded.articles[0])?populate[blocks][populate]=*")
            #expect(all.status == 200)
            let invalid = try await client.get("/api/articles/\(seeded.articles[0])?populate[blocks][populate][0]=title")
            #expect(invalid.status == 400)
            let fragmentOnRelation = try await client.get("/api/articles/\(seeded.articles[0])?populate[author][on][api::author.author]=true")
            #expect(fragmentOnRelation.status == 400)
        }
    }

    @Test("media fields are linked by id or documentId and populate as file objects")
    func media() async throws {
        try await TestStrata.run(Blog.project) { strata, client in
            let first = try await strata.createFile(name: "one.png")
            let second = try await strata.createFile(name: "two.png")
            let created = try await client.post("/api/articles?populate[cover]=true&populate[gallery]=true&populate[seo][populate]=shareImage", json: ["data": [
                "title": "With media",
                "cover": first["id"]!,
                "gallery": [second["documentId"]!, first["id"]!],
                "seo": ["metaTitle": "S", "shareImage": second["id"]!],
            ]])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.data?["cover"]?["name"] == "one.png")
            #expect(created.data?["cover"]?["url"] == "/uploads/one_png_0123456789.png")
            #expect(created.data?["cover"]?["folderPath"] == nil, "folderPath is private")
            #expect(created.data?["gallery"]?.arrayValue?.compactMap { $0["name"] } == ["two.png", "one.png"])
            #expect(created.data?["seo"]?["shareImage"]?["name"] == "two.png")
            let filtered = try await client.get("/api/articles?filters[cover][name][$eq]=one.png")
            #expect(filtered.data?.arrayValue?.count == 1)
            let noCover = try await client.get("/api/articles?filters[cover][$null]=true")
            #expect(noCover.data?.arrayValue?.count == 0)
            let missing = try await client.post("/api/articles", json: ["data": ["cover": 999]])
            #expect(missing.status == 400)
        }
    }

    @Test("populated Draft & Publish relations follow the requested status")
    func statusInheritance() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let category = try await client.post("/api/categories?status=draft", json: ["data": ["name": "draft only"]])
            let categoryID = category.data!["documentId"]!.stringValue!
            let article = try await client.post("/api/articles?populate=categories", json: ["data": ["title": "A", "categories": [.string(categoryID)]]])
            #expect(article.data?["categories"] == [], "the category has no published version to point to")
            let documentId = article.data!["documentId"]!.stringValue!
            let draft = try await client.get("/api/articles/\(documentId)?status=draft&populate=categories")
            #expect(draft.data?["categories"]?.arrayValue?.compactMap { $0["name"] } == ["draft only"])
            // Publish the category, then republish the article: the link follows.
            _ = try await client.put("/api/categories/\(categoryID)", json: ["data": [:]])
            _ = try await client.put("/api/articles/\(documentId)", json: ["data": [:]])
            let published = try await client.get("/api/articles/\(documentId)?populate=categories")
            #expect(published.data?["categories"]?.arrayValue?.compactMap { $0["name"] } == ["draft only"])
            #expect(published.data?["categories"]?[0]?["publishedAt"] != .null)
        }
    }

    @Test("population is batched: the query count does not grow with the page size")
    func batched() async throws {
        try await TestStrata.run(Blog.project) { strata, client in
            _ = try await Blog.seed(client, articles: 12)
            let query = "/api/articles?populate[author]=true&populate[categories]=true&populate[seo]=true&populate[blocks]=true&pagination[pageSize]="
            let before = strata.statementCount
            let small = try await client.get(query + "2")
            let afterSmall = strata.statementCount
            let large = try await client.get(query + "12")
            let afterLarge = strata.statementCount
            #expect(small.data?.arrayValue?.count == 2)
            #expect(large.data?.arrayValue?.count == 12)
            #expect(afterSmall - before == afterLarge - afterSmall, "same number of statements for 2 and 12 rows")
            #expect(afterLarge - afterSmall <= 8)
        }
    }

    @Test("invalid populate keys are refused")
    func invalid() async throws {
        try await TestStrata.run(Blog.project) { _, client in
            let seeded = try await Blog.seed(client, articles: 1)
            for query in ["populate=nope", "populate=title", "populate[author][nope]=1", "populate=cover.name", "populate[author][status]=draft"] {
                let response = try await client.get("/api/articles/\(seeded.articles[0])?\(query)")
                #expect(response.status == 400, "\(query)")
                #expect(response.error?["name"] == "ValidationError", "\(query)")
            }
        }
    }
}
