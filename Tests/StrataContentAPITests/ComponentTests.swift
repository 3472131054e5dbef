import StrataCore
import StrataTesting
import Testing

@Suite("REST: components and dynamic zones")
struct ComponentTests {
    static let project = TestProject(
        contentTypes: [
            ("api::page.page", TestProject.collectionType("page", attributes: [
                "title": ["type": "string"],
                "seo": ["type": "component", "component": "shared.seo", "required": true],
                "links": ["type": "component", "component": "shared.link", "repeatable": true, "min": 1, "max": 3],
                "blocks": ["type": "dynamiczone", "components": ["shared.quote", "shared.hero"]],
            ])),
        ],
        components: [
            ("shared.seo", ["collectionName": "components_shared_seos", "attributes": [
                "metaTitle": ["type": "string", "required": true, "maxLength": 20],
            ]]),
            ("shared.link", ["collectionName": "components_shared_links", "attributes": [
                "label": ["type": "string", "required": true], "url": ["type": "string"],
            ]]),
            ("shared.quote", ["collectionName": "components_shared_quotes", "attributes": ["title": ["type": "string", "required": true]]]),
            ("shared.hero", ["collectionName": "components_shared_heroes", "attributes": [
                "heading": ["type": "string"],
                "cta": ["type": "component", "component": "shared.link"],
            ]]),
        ]
    )

    static let populate = "populate[seo]=true&populate[links]=true&populate[blocks][populate]=*"

    static let valid: JSONValue = ["data": [
        "title": "Home",
        "seo": ["metaTitle": "Welcome"],
        "links": [["label": "A", "url": "/a"], ["label": "B"]],
        "blocks": [
            ["__component": "shared.hero", "heading": "Hi", "cta": ["label": "Go", "url": "/go"]],
            ["__component": "shared.quote", "title": "Q"],
        ],
    ]]

    @Test("single, repeatable, nested and dynamic zone components are stored and returned in order")
    func create() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let response = try await client.post("/api/pages?\(Self.populate)", json: Self.valid)
            #expect(response.status == 201, "\(response.text)")
            let data = try #require(response.data)
            #expect(data["seo"]?["metaTitle"] == "Welcome")
            #expect(data["links"]?.arrayValue?.compactMap { $0["label"] } == ["A", "B"])
            #expect(data["blocks"]?[0]?["__component"] == "shared.hero")
            #expect(data["blocks"]?[0]?["cta"]?["label"] == "Go", "populate=* inside the zone reaches nested components")
            #expect(data["blocks"]?[1]?["title"] == "Q")
        }
    }

    @Test("validation reports full paths")
    func validation() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let response = try await client.post("/api/pages", json: ["data": [
                "seo": ["metaTitle": "a title that is far too long"],
                "links": [["url": "/nolabel"]],
                "blocks": [["__component": "shared.quote"], ["__component": "shared.nope"]],
            ]])
            #expect(response.status == 400)
            let errors = response.error?["details"]?["errors"]?.arrayValue ?? []
            let paths = errors.compactMap { $0["path"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ".") }
            #expect(paths == ["seo.metaTitle", "links.0.label", "blocks.0.title", "blocks.1.__component"])
            #expect(errors[0]["message"] == "seo.metaTitle must be at most 20 characters")
            #expect(errors[1]["message"] == "links.0.label must be defined.")
            #expect(errors[3]["message"] == "__component must be one of the following values: shared.quote, shared.hero")
        }
    }

    @Test("required components and repeatable bounds apply when publishing")
    func requiredAndBounds() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let missing = try await client.post("/api/pages", json: ["data": ["title": "x"]])
            #expect(missing.error?["details"]?["errors"]?[0]?["message"] == "seo must be defined.")
            let tooMany = try await client.post("/api/pages", json: ["data": ["seo": ["metaTitle": "t"], "links": [["label": "1"], ["label": "2"], ["label": "3"], ["label": "4"]]]])
            #expect(tooMany.error?["details"]?["errors"]?[0]?["message"] == "links field must have less than or equal to 3 items")
            let notArray = try await client.post("/api/pages", json: ["data": ["seo": ["metaTitle": "t"], "links": ["label": "1"]]])
            #expect(notArray.status == 400)
        }
    }

    @Test("updates replace components; an id keeps the row; foreign ids are refused; null clears")
    func update() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let created = try await client.post("/api/pages?\(Self.populate)", json: Self.valid)
            let documentId = created.data!["documentId"]!.stringValue!
            let seoID = created.data!["seo"]!["id"]!
            let kept = try await client.put("/api/pages/\(documentId)?\(Self.populate)", json: ["data": ["seo": ["id": seoID, "metaTitle": "Changed"]]])
            #expect(kept.data?["seo"]?["id"] == seoID)
            #expect(kept.data?["seo"]?["metaTitle"] == "Changed")
            #expect(kept.data?["links"]?.arrayValue?.count == 2, "attributes absent from data are untouched")
            let replaced = try await client.put("/api/pages/\(documentId)?\(Self.populate)", json: ["data": ["links": [["label": "Only"]]]])
            #expect(replaced.data?["links"]?.arrayValue?.compactMap { $0["label"] } == ["Only"])
            #expect(try await strata.rowCount("components_shared_links") == 2, "replaced links are deleted; the hero's link remains")
            let foreign = try await client.put("/api/pages/\(documentId)", json: ["data": ["seo": ["id": 999, "metaTitle": "x"]]])
            #expect(foreign.status == 400)
            #expect(foreign.error?["message"] == "Some of the provided components in seo are not related to the entity")
            let zone = try await client.put("/api/pages/\(documentId)?\(Self.populate)", json: ["data": ["blocks": []]])
            #expect(zone.data?["blocks"] == [])
            #expect(try await strata.rowCount("components_shared_heroes") == 0)
            #expect(try await strata.rowCount("components_shared_links") == 1, "the hero's nested link went with it")
        }
    }

    @Test("component fields filter and sort their parents")
    func filterAndSort() async throws {
        try await TestStrata.run(Self.project) { _, client in
            for title in ["Bravo", "Alpha"] {
                _ = try await client.post("/api/pages", json: ["data": ["title": .string(title), "seo": ["metaTitle": .string(title)], "links": [["label": "x"]]]])
            }
            let filtered = try await client.get("/api/pages?filters[seo][metaTitle][$eq]=Alpha")
            #expect(filtered.data?.arrayValue?.compactMap { $0["title"] } == ["Alpha"])
            let sorted = try await client.get("/api/pages?sort=seo.metaTitle:asc")
            #expect(sorted.data?.arrayValue?.compactMap { $0["title"] } == ["Alpha", "Bravo"])
            let dz = try await client.get("/api/pages?filters[blocks][title]=x")
            #expect(dz.status == 400, "dynamic zones cannot be filtered")
        }
    }

    @Test("deleting a document deletes its components recursively")
    func deleteCleansUp() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let created = try await client.post("/api/pages", json: Self.valid)
            #expect(try await client.delete("/api/pages/\(created.data!["documentId"]!.stringValue!)").status == 204)
            for table in ["pages_cmps", "components_shared_seos", "components_shared_links", "components_shared_quotes", "components_shared_heroes", "components_shared_heroes_cmps"] {
                #expect(try await strata.rowCount(table) == 0, "\(table)")
            }
        }
    }
}
