import StrataCore
import StrataTesting
import Testing

/// Port of Strapi's `tests/api/core/strapi/api/relations.test.api.ts` (content-api.md §8.2).
@Suite("REST: relations")
struct RelationsTests {
    static let project = TestProject(
        contentTypes: [
            ("api::product.product", TestProject.collectionType("product", attributes: [
                "name": ["type": "string"],
                "shop": ["type": "relation", "relation": "oneToOne", "target": "api::shop.shop", "mappedBy": "products_oo"],
                "shops_mo": ["type": "relation", "relation": "oneToMany", "target": "api::shop.shop", "mappedBy": "products_mo"],
                "shop_om": ["type": "relation", "relation": "manyToOne", "target": "api::shop.shop", "inversedBy": "products_om"],
                "shops": ["type": "relation", "relation": "manyToMany", "target": "api::shop.shop", "mappedBy": "products_mm"],
            ])),
            ("api::shop.shop", TestProject.collectionType("shop", attributes: [
                "name": ["type": "string"],
                "products_ow": ["type": "relation", "relation": "oneToOne", "target": "api::product.product"],
                "products_oo": ["type": "relation", "relation": "oneToOne", "target": "api::product.product", "inversedBy": "shop"],
                "products_mo": ["type": "relation", "relation": "manyToOne", "target": "api::product.product", "inversedBy": "shops_mo"],
                "products_om": ["type": "relation", "relation": "oneToMany", "target": "api::product.product", "mappedBy": "shop_om"],
                "products_mm": ["type": "relation", "relation": "manyToMany", "target": "api::product.product", "inversedBy": "shops"],
                "products_mw": ["type": "relation", "relation": "oneToMany", "target": "api::product.product"],
                "myCompo": ["type": "component", "component": "default.compo"],
            ])),
        ],
        components: [
            ("default.compo", [
                "collectionName": "components_default_compos",
                "attributes": [
                    "name": ["type": "string"],
                    "compo_products_ow": ["type": "relation", "relation": "oneToOne", "target": "api::product.product"],
                    "compo_products_mw": ["type": "relation", "relation": "oneToMany", "target": "api::product.product"],
                ],
            ]),
        ]
    )

    static let populate = "populate[products_ow]=true&populate[products_oo]=true&populate[products_mo]=true&populate[products_om]=true&populate[products_mm]=true&populate[products_mw]=true&populate[myCompo][populate][0]=compo_products_ow&populate[myCompo][populate][1]=compo_products_mw"

    static let toOne = ["products_ow", "products_oo", "products_mo"]
    static let toMany = ["products_om", "products_mm", "products_mw"]

    /// Creates Skate, Candle and Mug and returns their documentIds and row ids.
    static func products(_ client: StrataClient) async throws -> (docs: [String], ids: [Int64]) {
        var docs: [String] = []
        var ids: [Int64] = []
        for name in ["Skate", "Candle", "Mug"] {
            let response = try await client.post("/api/products", json: ["data": ["name": .string(name)]])
            docs.append(response.data!["documentId"]!.stringValue!)
            ids.append(response.data!["id"]!.intValue!)
        }
        return (docs, ids)
    }

    /// The three id styles of the Strapi test.
    enum Style: CaseIterable { case documentId, documentIdObject, idObject }

    static func ref(_ style: Style, _ index: Int, _ products: (docs: [String], ids: [Int64])) -> JSONValue {
        switch style {
        case .documentId: return .string(products.docs[index])
        case .documentIdObject: return ["documentId": .string(products.docs[index])]
        case .idObject: return ["id": .int(products.ids[index])]
        }
    }

    /// A shop payload; `compoID` updates the existing component in place (without it Strapi
    /// replaces the component, relations included).
    static func body(_ toOne: JSONValue, _ toMany: JSONValue, compoID: JSONValue? = nil) -> JSONValue {
        var data: JSONObject = ["name": "Shop"]
        for key in Self.toOne { data[key] = toOne }
        for key in Self.toMany { data[key] = toMany }
        var compo: JSONObject = ["compo_products_ow": toOne, "compo_products_mw": toMany]
        if let compoID { compo["id"] = compoID }
        data["myCompo"] = .object(compo)
        return .object(["data": .object(data)])
    }

    /// documentIds of the populated relations, for comparisons.
    static func shape(_ data: JSONValue?) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for key in toOne { result[key] = data?[key]?["documentId"] ?? .null }
        for key in toMany { result[key] = .array(data?[key]?.arrayValue?.compactMap { $0["documentId"] } ?? []) }
        result["compo_ow"] = data?["myCompo"]?["compo_products_ow"]?["documentId"] ?? .null
        result["compo_mw"] = .array(data?["myCompo"]?["compo_products_mw"]?.arrayValue?.compactMap { $0["documentId"] } ?? [])
        return result
    }

    static func expected(_ one: String?, _ many: [String]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for key in toOne { result[key] = one.map { .string($0) } ?? .null }
        for key in toMany { result[key] = .array(many.map { .string($0) }) }
        result["compo_ow"] = one.map { .string($0) } ?? .null
        result["compo_mw"] = .array(many.map { .string($0) })
        return result
    }

    @Test("create with connect and with set, in every id style", arguments: Style.allCases)
    func create(style: Style) async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            let connect = try await client.post("/api/shops?\(Self.populate)",
                json: Self.body(["connect": [Self.ref(style, 0, p)]], ["connect": [Self.ref(style, 0, p), Self.ref(style, 1, p)]]))
            #expect(connect.status == 201, "\(connect.text)")
            #expect(Self.shape(connect.data) == Self.expected(p.docs[0], [p.docs[0], p.docs[1]]))
            let set = try await client.post("/api/shops?\(Self.populate)",
                json: Self.body(["set": [Self.ref(style, 0, p)]], ["set": [Self.ref(style, 1, p), Self.ref(style, 0, p)]]))
            #expect(Self.shape(set.data) == Self.expected(p.docs[0], [p.docs[1], p.docs[0]]))
        }
    }

    @Test("connect, disconnect and reconnect on update", arguments: Style.allCases)
    func update(style: Style) async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            func r(_ index: Int) -> JSONValue { Self.ref(style, index, p) }
            let created = try await client.post("/api/shops?\(Self.populate)", json: Self.body(["connect": [r(0)]], ["connect": [r(0), r(1)]]))
            let shop = created.data!["documentId"]!.stringValue!
            let compoID = created.data?["myCompo"]?["id"]
            func put(_ toOne: JSONValue, _ toMany: JSONValue) async throws -> [String: JSONValue] {
                let response = try await client.put("/api/shops/\(shop)?\(Self.populate)", json: Self.body(toOne, toMany, compoID: compoID))
                #expect(response.status == 200, "\(response.text)")
                return Self.shape(response.data)
            }
            #expect(try await put(["connect": [r(2)]], ["connect": [r(2)]]) == Self.expected(p.docs[2], [p.docs[0], p.docs[1], p.docs[2]]))
            // Back to [D1, D2] to follow the Strapi test's sequence.
            _ = try await put(["set": [r(0)]], ["set": [r(0), r(1)]])
            #expect(try await put(["connect": [r(2)], "disconnect": [r(0)]], ["connect": [r(2)], "disconnect": [r(0)]]) == Self.expected(p.docs[2], [p.docs[1], p.docs[2]]))
            _ = try await put(["set": [r(0)]], ["set": [r(0), r(1)]])
            #expect(try await put(["connect": [r(2)], "disconnect": [r(0), r(2)]], ["connect": [r(2)], "disconnect": [r(0), r(2)]]) == Self.expected(p.docs[2], [p.docs[1], p.docs[2]]))
            // Reconnecting moves relations to the end, in sequence.
            _ = try await put(["set": [r(0)]], ["set": [r(0), r(1), r(2)]])
            #expect(try await put(["connect": [r(0)]], ["connect": [r(2), r(1), r(0)]]) == Self.expected(p.docs[0], [p.docs[2], p.docs[1], p.docs[0]]))
            _ = try await put(["set": [r(0)]], ["set": [r(0), r(1), r(2)]])
            #expect(try await put(["connect": [r(0)]], ["connect": [r(1)]]) == Self.expected(p.docs[0], [p.docs[0], p.docs[2], p.docs[1]]))
            _ = try await put(["set": [r(0)]], ["set": [r(0), r(1), r(2)]])
            #expect(try await put(["connect": [r(0)]], ["connect": [r(1), r(0)]]) == Self.expected(p.docs[0], [p.docs[2], p.docs[1], p.docs[0]]))
            // Disconnect everything.
            #expect(try await put(["disconnect": [r(0)]], ["disconnect": [r(2), r(1), r(0)]]) == Self.expected(nil, []))
        }
    }

    @Test("disconnecting unrelated or missing ids is a no-op; a non-string documentId is a 400")
    func disconnectUnknown() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            let created = try await client.post("/api/shops?\(Self.populate)", json: Self.body(["connect": [.string(p.docs[0])]], ["connect": [.string(p.docs[0])]]))
            let shop = created.data!["documentId"]!.stringValue!
            let compoID = created.data?["myCompo"]?["id"]
            let plain = try await client.put("/api/shops/\(shop)?\(Self.populate)", json: Self.body(["disconnect": [.string(p.docs[2])]], ["disconnect": [.string(p.docs[2]), .string(p.docs[1]), "9999"]], compoID: compoID))
            #expect(plain.status == 200, "\(plain.text)")
            #expect(Self.shape(plain.data) == Self.expected(p.docs[0], [p.docs[0]]))
            let ids = try await client.put("/api/shops/\(shop)?\(Self.populate)", json: Self.body(["disconnect": [["id": 9999]]], ["disconnect": [["id": 9999]]], compoID: compoID))
            #expect(ids.status == 200)
            #expect(Self.shape(ids.data) == Self.expected(p.docs[0], [p.docs[0]]))
            let bad = try await client.put("/api/shops/\(shop)", json: Self.body(["disconnect": [["documentId": 9999]]], ["disconnect": [["documentId": 9999]]]))
            #expect(bad.status == 400)
        }
    }

    @Test("positions on create and update")
    func positions() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            let d = p.docs.map { JSONValue.string($0) }
            func create(_ connect: JSONValue) async throws -> [JSONValue] {
                let response = try await client.post("/api/shops?\(Self.populate)", json: ["data": ["name": "S", "products_mm": ["connect": connect]]])
                #expect(response.status == 201, "\(response.text)")
                return response.data?["products_mm"]?.arrayValue?.compactMap { $0["documentId"] } ?? []
            }
            #expect(try await create([["documentId": d[0], "position": ["start": true]], ["documentId": d[1], "position": ["start": true]]]) == [d[1], d[0]])
            #expect(try await create([["documentId": d[0], "position": ["end": true]], ["documentId": d[1], "position": ["end": true]]]) == [d[0], d[1]])
            #expect(try await create([["documentId": d[0], "position": ["start": true]], ["documentId": d[1], "position": ["start": true]], ["documentId": d[2], "position": ["after": d[0]]]]) == [d[1], d[0], d[2]])
            let shop = try await client.post("/api/shops", json: ["data": ["name": "S", "products_mm": [d[0], d[1]]]])
            let updated = try await client.put("/api/shops/\(shop.data!["documentId"]!.stringValue!)?\(Self.populate)", json: ["data": ["products_mm": [
                "connect": [["documentId": d[0], "position": ["before": d[1]]], ["documentId": d[1], "position": ["start": true]], ["documentId": d[2], "position": ["end": true]]],
                "options": ["strict": true],
            ]]])
            #expect(updated.data?["products_mm"]?.arrayValue?.compactMap { $0["documentId"] } == [d[1], d[0], d[2]])
        }
    }

    @Test("invalid connect lists are a 400 ValidationError")
    func invalidConnect() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            let d = p.docs.map { JSONValue.string($0) }
            let twice = try await client.post("/api/shops", json: ["data": ["products_mm": ["connect": [
                ["documentId": d[0], "position": ["start": true]], ["documentId": d[0], "position": ["end": true]], ["documentId": d[0], "position": ["after": d[1]]],
            ]]]])
            #expect(twice.status == 400)
            #expect(twice.error?["name"] == "ValidationError")
            let cycle = try await client.post("/api/shops", json: ["data": ["products_mm": ["connect": [
                ["documentId": d[0], "position": ["before": d[1]]], ["documentId": d[1], "position": ["before": d[0]]],
            ]]]])
            #expect(cycle.status == 400)
            let anchor = try await client.post("/api/shops", json: ["data": ["products_mm": ["connect": [["documentId": d[0], "position": ["after": d[2]]]]]]])
            #expect(anchor.status == 400)
            let lenient = try await client.post("/api/shops?populate=products_mm", json: ["data": ["products_mm": ["connect": [["documentId": d[0], "position": ["after": d[2]]]], "options": ["strict": false]]]])
            #expect(lenient.status == 201)
            #expect(lenient.data?["products_mm"]?.arrayValue?.count == 1)
            let missing = try await client.post("/api/shops", json: ["data": ["products_mm": ["zzzzzzzzzzzzzzzzzzzzzzzz"]]])
            #expect(missing.error?["message"] == #"Document with id "zzzzzzzzzzzzzzzzzzzzzzzz", locale "null" not found"#)
            let mixed = try await client.post("/api/shops", json: ["data": ["products_mm": ["set": [d[0]], "connect": [d[1]]]]])
            #expect(mixed.status == 400)
        }
    }

    @Test("both sides of bidirectional relations read the same links; one-to-one targets keep one owner")
    func bidirectional() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let p = try await Self.products(client)
            let first = try await client.post("/api/shops", json: ["data": ["name": "A", "products_oo": .string(p.docs[0]), "products_mm": [.string(p.docs[0]), .string(p.docs[1])], "products_om": [.string(p.docs[2])]]])
            let product = try await client.get("/api/products/\(p.docs[0])?populate=*")
            #expect(product.data?["shop"]?["documentId"] == first.data?["documentId"])
            #expect(product.data?["shops"]?.arrayValue?.count == 1)
            let mug = try await client.get("/api/products/\(p.docs[2])?populate[shop_om]=true")
            #expect(mug.data?["shop_om"]?["name"] == "A")
            // A second shop taking Skate one-to-one takes it away from the first.
            _ = try await client.post("/api/shops", json: ["data": ["name": "B", "products_oo": .string(p.docs[0])]])
            let shopA = try await client.get("/api/shops/\(first.data!["documentId"]!.stringValue!)?populate=products_oo")
            #expect(shopA.data?["products_oo"] == .null)
            // Writing from the inverse side.
            let updated = try await client.put("/api/products/\(p.docs[1])?populate=shops", json: ["data": ["shops": ["connect": [.string(first.data!["documentId"]!.stringValue!)]]]])
            #expect(updated.data?["shops"]?.arrayValue?.count == 1)
        }
    }

    @Test("deleting a document leaves no link or component rows behind")
    func noOrphans() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let p = try await Self.products(client)
            let shop = try await client.post("/api/shops", json: Self.body(.string(p.docs[0]), [.string(p.docs[0]), .string(p.docs[1])]))
            #expect(try await client.delete("/api/shops/\(shop.data!["documentId"]!.stringValue!)").status == 204)
            for table in ["shops_products_ow_lnk", "shops_products_oo_lnk", "shops_products_mo_lnk", "products_shop_om_lnk", "shops_products_mm_lnk", "shops_products_mw_lnk", "shops_cmps", "components_default_compos", "components_default_compos_compo_products_ow_lnk", "components_default_compos_compo_products_mw_lnk"] {
                #expect(try await strata.rowCount(table) == 0, "\(table)")
            }
            #expect(try await strata.rowCount("products") == 3)
        }
    }
}
