import StrataCore
import StrataTesting
import Testing

/// Port of Strapi's `tests/api/core/strapi/deep-filtering.test.api.js` (content-api.md §8.2).
@Suite("REST: deep filtering")
struct DeepFilteringTests {
    static let project = TestProject(contentTypes: [
        ("api::card.card", TestProject.collectionType("card", attributes: ["name": ["type": "string"]])),
        ("api::collector.collector", TestProject.collectionType("collector", attributes: [
            "name": ["type": "string"],
            "age": ["type": "integer"],
            "cards": ["type": "relation", "relation": "oneToMany", "target": "api::card.card"],
            "collector_friends": ["type": "relation", "relation": "oneToMany", "target": "api::collector.collector"],
        ])),
    ])

    /// Cards C0-C2 and collectors K0 Bernard, K1 Isabelle, K2 Kenza.
    static func seed(_ client: StrataClient) async throws -> [String] {
        var cards: [JSONValue] = []
        for name in ["Hugo LLORIS", "Samuel UMTITI", "Lucas HERNANDEZ"] {
            cards.append(try await client.post("/api/cards", json: ["data": ["name": .string(name)]]).data!["documentId"]!)
        }
        let k0 = try await client.post("/api/collectors", json: ["data": ["name": "Bernard", "age": 25, "cards": [cards[0], cards[1]]]]).data!["documentId"]!
        let k1 = try await client.post("/api/collectors", json: ["data": ["name": "Isabelle", "age": 55, "cards": [cards[0]], "collector_friends": [k0]]]).data!["documentId"]!
        let k2 = try await client.post("/api/collectors", json: ["data": ["name": "Kenza", "age": 25, "cards": [], "collector_friends": [k0]]]).data!["documentId"]!
        return [k0, k1, k2].compactMap(\.stringValue)
    }

    static func check(_ client: StrataClient, _ query: String, total: Int, names: [String]) async throws {
        let response = try await client.get("/api/collectors?\(query)")
        #expect(response.status == 200, "\(query): \(response.text)")
        #expect(response.meta == ["pagination": ["page": 1, "pageSize": 25, "pageCount": .int(total == 0 ? 0 : 1), "total": .int(Int64(total))]], "\(query)")
        #expect(response.data?.arrayValue?.compactMap { $0["name"]?.stringValue } == names, "\(query)")
    }

    @Test("filters through a one-to-many relation match each parent once")
    func throughRelations() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Self.seed(client)
            try await Self.check(client, "filters[cards][name]=Hugo LLORIS", total: 2, names: ["Bernard", "Isabelle"])
            try await Self.check(client, "filters[cards][name]=Samuel UMTITI", total: 1, names: ["Bernard"])
            try await Self.check(client, "filters[cards][$or][0][name]=Hugo LLORIS&filters[cards][$or][1][name]=Samuel UMTITI", total: 2, names: ["Bernard", "Isabelle"])
            try await Self.check(client, "filters[$or][0][cards][name]=Hugo LLORIS&filters[$or][1][cards][name]=Samuel UMTITI", total: 2, names: ["Bernard", "Isabelle"])
            try await Self.check(client, "filters[cards][$and][0][name][$containsi]=HUGO&filters[cards][$and][1][name][$containsi]=LLORIS", total: 2, names: ["Bernard", "Isabelle"])
            try await Self.check(client, "filters[cards][$and][0][name][$contains]=HUGO&filters[cards][$and][1][name][$contains]=UMTITI", total: 0, names: [])
        }
    }

    @Test("self relations and search")
    func selfAndSearch() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Self.seed(client)
            try await Self.check(client, "filters[collector_friends][name]=Bernard", total: 2, names: ["Isabelle", "Kenza"])
            try await Self.check(client, "filters[collector_friends][name]=Bernard&_q=", total: 2, names: ["Isabelle", "Kenza"])
            try await Self.check(client, "filters[cards][name]=Hugo LLORIS&_q=Bernard", total: 1, names: ["Bernard"])
            try await Self.check(client, "filters[collector_friends][name]=Bernard&_q=isa", total: 1, names: ["Isabelle"])
        }
    }

    @Test("operators directly on a relation test the related rows")
    func relationOperators() async throws {
        try await TestStrata.run(Self.project) { _, client in
            _ = try await Self.seed(client)
            try await Self.check(client, "filters[cards][$null]=true", total: 1, names: ["Kenza"])
            try await Self.check(client, "filters[cards][$notNull]=true", total: 2, names: ["Bernard", "Isabelle"])
            try await Self.check(client, "filters[collector_friends][$null]=false", total: 2, names: ["Isabelle", "Kenza"])
            try await Self.check(client, "filters[cards][id]=2", total: 1, names: ["Bernard"])
            try await Self.check(client, "filters[cards]=2", total: 1, names: ["Bernard"])
            let mixed = try await client.get("/api/collectors?filters[cards][$null]=true&filters[cards][name]=x")
            #expect(mixed.status == 400)
        }
    }
}
