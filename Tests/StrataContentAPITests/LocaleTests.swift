import StrataCore
import StrataTesting
import Testing

/// The REST `locale` page of the seed documentation, on a localized collection and single type.
@Suite("REST: locale")
struct RESTLocaleTests {
    static let project = TestProject(contentTypes: [
        ("api::restaurant.restaurant", TestProject.collectionType("restaurant", draftAndPublish: true, localized: true, attributes: [
            "name": ["type": "string"],
            "phone": ["type": "string", "pluginOptions": ["i18n": ["localized": false]]],
        ])),
        ("api::homepage.homepage", .object([
            "kind": "singleType", "collectionName": "homepages",
            "info": ["singularName": "homepage", "pluralName": "homepages"],
            "pluginOptions": ["i18n": ["localized": true]],
            "attributes": ["headline": ["type": "string"]],
        ])),
    ])

    static func withLocales(_ body: @Sendable (TestStrata, StrataClient) async throws -> Void) async throws {
        try await TestStrata.run(project) { strata, client in
            try await strata.addLocale("fr", name: "French")
            try await body(strata, client)
        }
    }

    @Test("create in the default locale or in the body's locale; PUT ?locale creates a version; GET and DELETE per locale")
    func collectionType() async throws {
        try await Self.withLocales { _, client in
            let english = try await client.post("/api/restaurants", json: ["data": ["name": "Biscotte", "phone": "123"]])
            #expect(english.data?["locale"] == "en")
            let documentId = english.data!["documentId"]!.stringValue!
            let french = try await client.post("/api/restaurants", json: ["data": ["name": "Biscotte FR", "locale": "fr"]])
            #expect(french.data?["locale"] == "fr")
            #expect(french.data?["documentId"] != english.data?["documentId"], "POST always creates a new document")

            let version = try await client.put("/api/restaurants/\(documentId)?locale=fr", json: ["data": ["name": "Biscotte (fr)", "locale": "it"]])
            #expect(version.status == 200, "\(version.text)")
            #expect(version.data?["locale"] == "fr", "a body locale is ignored on update")
            #expect(version.data?["phone"] == "123", "shared attributes are copied")

            #expect(try await client.get("/api/restaurants/\(documentId)?locale=fr").data?["name"] == "Biscotte (fr)")
            #expect(try await client.get("/api/restaurants/\(documentId)").data?["name"] == "Biscotte")
            let frenchList = try await client.get("/api/restaurants?locale=fr")
            #expect(frenchList.data?.arrayValue?.count == 2)
            let everything = try await client.get("/api/restaurants?locale=*")
            #expect(everything.meta?["pagination"]?["total"] == 3)

            let localizations = try await client.get("/api/restaurants/\(documentId)?populate=localizations")
            #expect(localizations.data?["localizations"]?.arrayValue?.compactMap { $0["locale"] } == ["fr"])

            #expect(try await client.delete("/api/restaurants/\(documentId)?locale=fr").status == 204)
            #expect(try await client.get("/api/restaurants/\(documentId)?locale=fr").status == 404)
            #expect(try await client.get("/api/restaurants/\(documentId)").status == 200, "other locales stay")
        }
    }

    @Test("single types per locale")
    func singleType() async throws {
        try await Self.withLocales { _, client in
            _ = try await client.put("/api/homepage", json: ["data": ["headline": "Welcome"]])
            let french = try await client.put("/api/homepage?locale=fr", json: ["data": ["headline": "Bienvenue"]])
            #expect(french.data?["locale"] == "fr")
            #expect(try await client.get("/api/homepage?locale=fr").data?["headline"] == "Bienvenue")
            #expect(try await client.get("/api/homepage").data?["headline"] == "Welcome")
            #expect(try await client.get("/api/homepage").data?["documentId"] == french.data?["documentId"], "one document, two locales")
            #expect(try await client.delete("/api/homepage?locale=fr").status == 204)
            #expect(try await client.get("/api/homepage?locale=fr").status == 404)
        }
    }

    @Test("invalid locales are a 400")
    func invalid() async throws {
        try await Self.withLocales { _, client in
            let read = try await client.get("/api/restaurants?locale=xx")
            #expect(read.status == 400)
            let write = try await client.post("/api/restaurants?locale=xx", json: ["data": ["name": "x"]])
            #expect(write.status == 400)
            #expect(write.error?["message"] == "Invalid locale param xx")
            let star = try await client.post("/api/restaurants?locale=*", json: ["data": ["name": "x"]])
            #expect(star.status == 400)
        }
    }
}
