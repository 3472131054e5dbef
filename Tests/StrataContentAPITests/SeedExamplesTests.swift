import StrataCore
import StrataTesting
import Testing

/// The REST examples of the seed documentation (filters, populate-select, sort-pagination
/// pages), run against a restaurant project like the docs use.
@Suite("REST: seed documentation examples")
struct SeedExamplesTests {
    static let project = TestProject(
        contentTypes: [
            ("api::restaurant.restaurant", TestProject.collectionType("restaurant", draftAndPublish: true, attributes: [
                "name": ["type": "string"],
                "stars": ["type": "integer"],
                "averagePrice": ["type": "float"],
                "date": ["type": "date"],
                "chef": ["type": "relation", "relation": "manyToOne", "target": "api::chef.chef", "inversedBy": "restaurants"],
                "categories": ["type": "relation", "relation": "manyToMany", "target": "api::category.category"],
                "seo": ["type": "component", "component": "shared.seo"],
                "blocks": ["type": "dynamiczone", "components": ["blocks.hero", "blocks.related"]],
            ])),
            ("api::chef.chef", TestProject.collectionType("chef", attributes: [
                "name": ["type": "string"],
                "restaurants": ["type": "relation", "relation": "oneToMany", "target": "api::restaurant.restaurant", "mappedBy": "chef"],
            ])),
            ("api::category.category", TestProject.collectionType("category", plural: "categories", attributes: ["name": ["type": "string"]])),
        ],
        components: [
            ("shared.seo", ["collectionName": "components_shared_seos", "attributes": [
                "metaTitle": ["type": "string"], "social": ["type": "component", "component": "shared.social"],
            ]]),
            ("shared.social", ["collectionName": "components_shared_socials", "attributes": ["network": ["type": "string"]]]),
            ("blocks.hero", ["collectionName": "components_blocks_heroes", "attributes": ["title": ["type": "string"]]]),
            ("blocks.related", ["collectionName": "components_blocks_relateds", "attributes": [
                "title": ["type": "string"],
                "categories": ["type": "relation", "relation": "oneToMany", "target": "api::category.category"],
            ]]),
        ]
    )

    static func seed(_ client: StrataClient) async throws {
        let chef = try await client.post("/api/chefs", json: ["data": ["name": "Kai Doe"]]).data!["documentId"]!
        let category = try await client.post("/api/categories", json: ["data": ["name": "French"]]).data!["documentId"]!
        for index in 1...9 {
            let response = try await client.post("/api/restaurants", json: ["data": [
                "name": .string(index % 2 == 0 ? "Biscotte \(index)" : "Pizzeria \(index)"),
                "stars": .int(Int64(index % 5)),
                "averagePrice": .double(Double(index) * 10),
                "date": .string("2023-0\(index)-01"),
                "chef": index <= 3 ? chef : .null,
                "categories": [category],
                "seo": ["metaTitle": .string("SEO \(index)"), "social": ["network": "fb"]],
                "blocks": [["__component": "blocks.hero", "title": "Hero"], ["__component": "blocks.related", "title": "R", "categories": [category]]],
            ]])
            #expect(response.status == 201, "\(response.text)")
        }
    }

    static func names(_ response: StrataResponse) -> [String] {
        response.data?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test("filters page: $in on ids, complex $and/$or, deep filtering")
    func filters() async throws {
        try await TestStrata.run(Self.project) { _, client in
            try await Self.seed(client)
            // Published rows have even ids here (each document has a draft row first).
            let byIDs = try await client.get("/api/restaurants?filters[id][$in][0]=6&filters[id][$in][1]=8&filters[id][$in][2]=10")
            #expect(Self.names(byIDs) == ["Pizzeria 3", "Biscotte 4", "Pizzeria 5"])
            let complex = try await client.get("/api/restaurants?filters[$or][0][date][$eq]=2023-02-01&filters[$or][1][date][$eq]=2023-03-01&filters[name][$eq]=Biscotte 2")
            #expect(Self.names(complex) == ["Biscotte 2"])
            let deep = try await client.get("/api/restaurants?filters[chef][restaurants][stars][$eq]=3")
            #expect(Self.names(deep) == ["Pizzeria 1", "Biscotte 2", "Pizzeria 3"])
        }
    }

    @Test("populate-select page: every syntax of the use-case table")
    func populateTable() async throws {
        try await TestStrata.run(Self.project) { _, client in
            try await Self.seed(client)
            let star = try await client.get("/api/restaurants?populate=*&pagination[pageSize]=1")
            #expect(star.data?[0]?["chef"]?["name"] == "Kai Doe")
            let one = try await client.get("/api/restaurants?populate=chef&pagination[pageSize]=1")
            #expect(one.data?[0]?["categories"] == nil)
            let several = try await client.get("/api/restaurants?populate[0]=chef&populate[1]=categories&populate[2]=seo&pagination[pageSize]=1")
            #expect(several.data?[0]?["categories"]?[0]?["name"] == "French")
            let deep = try await client.get("/api/restaurants?populate[chef][populate][0]=restaurants&pagination[pageSize]=1")
            #expect(deep.data?[0]?["chef"]?["restaurants"]?.arrayValue?.count == 3)
            let nestedComponent = try await client.get("/api/restaurants?populate[0]=seo&populate[1]=seo.social&pagination[pageSize]=1")
            #expect(nestedComponent.data?[0]?["seo"]?["social"]?["network"] == "fb")
            let zone = try await client.get("/api/restaurants?populate[0]=blocks&pagination[pageSize]=1")
            #expect(zone.data?[0]?["blocks"]?[1]?["categories"] == nil)
            let detailed = try await client.get("/api/restaurants?populate[blocks][on][blocks.related][populate][categories][fields][0]=name&pagination[pageSize]=1")
            #expect(detailed.data?[0]?["blocks"]?[1]?["categories"]?[0]?.objectValue?.keys == ["id", "documentId", "name"])
            let withFields = try await client.get("/api/restaurants?fields[0]=name&populate[chef][fields][0]=name&pagination[pageSize]=1")
            #expect(withFields.data?[0]?.objectValue?.keys == ["id", "documentId", "name", "chef"])
            let withFilter = try await client.get("/api/chefs?populate[restaurants][filters][stars][$eq]=2")
            #expect(withFilter.data?[0]?["restaurants"]?.arrayValue?.compactMap { $0["name"] } == ["Biscotte 2"])
        }
    }

    @Test("sort-pagination page: two sort fields, page and offset pagination")
    func sortAndPaginate() async throws {
        try await TestStrata.run(Self.project) { _, client in
            try await Self.seed(client)
            let sorted = try await client.get("/api/restaurants?sort[0]=stars:desc&sort[1]=name:asc&pagination[pageSize]=3")
            #expect(Self.names(sorted) == ["Biscotte 4", "Pizzeria 9", "Biscotte 8"])
            let page = try await client.get("/api/restaurants?pagination[page]=2&pagination[pageSize]=4")
            #expect(page.meta == ["pagination": ["page": 2, "pageSize": 4, "pageCount": 3, "total": 9]])
            let offset = try await client.get("/api/restaurants?pagination[start]=5&pagination[limit]=2")
            #expect(offset.meta == ["pagination": ["start": 5, "limit": 2, "total": 9]])
            #expect(Self.names(offset) == ["Biscotte 6", "Pizzeria 7"])
            let bySort = try await client.get("/api/restaurants?sort=chef.name:asc,name:desc&pagination[pageSize]=2")
            #expect(Self.names(bySort) == ["Pizzeria 9", "Pizzeria 7"], "documents without a chef sort first")
        }
    }

    @Test("status page: published by default, drafts on request")
    func status() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await client.post("/api/restaurants?status=draft", json: ["data": ["name": "Draft only"]])
            _ = try await client.post("/api/restaurants", json: ["data": ["name": "Live"]])
            #expect(Self.names(try await client.get("/api/restaurants")) == ["Live"])
            #expect(Self.names(try await client.get("/api/restaurants?status=published")) == ["Live"])
            let drafts = try await client.get("/api/restaurants?status=draft")
            #expect(Self.names(drafts) == ["Draft only", "Live"])
            #expect(drafts.data?.arrayValue?.allSatisfy { $0["publishedAt"] == .null } == true)
        }
    }
}
