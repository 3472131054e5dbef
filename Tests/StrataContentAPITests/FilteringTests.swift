import Foundation
import StrataCore
import StrataTesting
import Testing

/// Port of Strapi's `tests/api/core/strapi/filtering.test.api.js` (content-api.md §8.2).
@Suite("REST: filtering")
struct FilteringTests {
    static let project = TestProject(contentTypes: [
        ("api::product.product", TestProject.collectionType("product", attributes: [
            "name": ["type": "string"], "description": ["type": "text"], "price": ["type": "float"],
            "decimal_field": ["type": "decimal"], "rank": ["type": "integer"], "big_rank": ["type": "biginteger"],
            "isChecked": ["type": "boolean"],
        ])),
        ("api::tag.tag", TestProject.collectionType("tag", attributes: ["slug": ["type": "string"]])),
    ])

    static let rows: [JSONValue] = [
        ["name": "Product 1", "description": "Product description", "price": 10.99, "decimal_field": 42.43, "rank": 42, "big_rank": "345678912983", "isChecked": true],
        ["name": "Product 2", "description": "Product description 2", "price": 28.31, "decimal_field": 91.22, "rank": 82, "big_rank": "926371623421", "isChecked": false],
        ["name": "Product 3", "description": "Product description 3", "price": 28.31, "decimal_field": 12.22, "rank": 91, "big_rank": "926372323421", "isChecked": true],
        ["name": "Product 4", "description": "Product description 4", "price": .null, "decimal_field": 12.22, "rank": 99, "big_rank": "999999999999", "isChecked": false],
        ["name": "Продукт 5, Product 5", "description": "Опис на продукт 5", "price": .null, "decimal_field": 142.43, "rank": 142, "big_rank": 345678912983, "isChecked": true],
    ]

    static func withProducts(_ body: @Sendable (StrataClient, [JSONValue]) async throws -> Void) async throws {
        try await TestStrata.run(project) { _, client in
            var created: [JSONValue] = []
            for row in rows {
                let response = try await client.post("/api/products", json: ["data": row])
                #expect(response.status == 201, "\(response.text)")
                created.append(response.data!)
            }
            try await body(client, created)
        }
    }

    /// Names returned by a filter query.
    static func names(_ client: StrataClient, _ query: String) async throws -> [String] {
        let response = try await client.get("/api/products?\(query)")
        #expect(response.status == 200, "\(query): \(response.text)")
        return response.data?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static let p0 = "Product 1", p1 = "Product 2", p2 = "Product 3", p3 = "Product 4", p4 = "Продукт 5, Product 5"

    @Test("REST output equals the created documents exactly")
    func exactOutput() async throws {
        try await Self.withProducts { client, created in
            let all = try await client.get("/api/products")
            #expect(all.data == .array(created))
            #expect(created[0]["big_rank"] == "345678912983")
            #expect(created[4]["big_rank"] == "345678912983", "numeric bigints come back as strings")
            #expect(created[0]["locale"] == .null)
        }
    }

    @Test("logical operators", arguments: [
        ("filters[$and][0][name]=Product 1&filters[$and][1][rank]=42", [p0]),
        ("filters[$and][0][name]=Product 1&filters[$and][1][rank]=43", []),
        ("filters[$or][0][name]=Product 1&filters[$or][1][rank]=82", [p0, p1]),
        ("filters[$or][0][name]=none&filters[$or][1][rank]=1", []),
        ("filters[$not][name]=Product 1", [p1, p2, p3, p4]),
        ("filters[$or][0][rank]=42&filters[$or][1][price][$gt]=28", [p0, p1, p2]),
        ("filters[$or][0][rank]=42&filters[$or][1][0][price][$gt]=28&filters[$or][1][1][rank]=91", [p0, p2]),
        ("filters[$or][0][rank]=42&filters[$or][1][$or][0][price][$gt]=28&filters[$or][1][$or][1][rank]=91", [p0, p1, p2]),
    ])
    func logical(query: String, expected: [String]) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names == expected, "\(query)")
        }
    }

    @Test("equality, case-insensitive equality and inequality", arguments: [
        ("filters[name]=Product 1", [p0]),
        ("filters[name][$eq]=Product 1", [p0]),
        ("filters[name][$eq]=Nope", []),
        ("filters[name][$eqi]=PRODuct 1", [p0]),
        ("filters[name][$eqi]=nope", []),
        ("filters[name][$ne]=Non existent product ", [p0, p1, p2, p3, p4]),
        ("filters[name][$ne]=Product 1", [p1, p2, p3, p4]),
        ("filters[name][$nei]=product 1", [p1, p2, p3, p4]),
    ])
    func equality(query: String, expected: [String]) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names == expected, "\(query)")
        }
    }

    @Test("$null and $notNull use forced boolean casting", arguments: [
        "true", "'true'", "1", "t", "anything", "[0]=anything", "[anything]=anything",
    ])
    func nulls(value: String) async throws {
        try await Self.withProducts { client, _ in
            let suffix = value.hasPrefix("[") ? value : "=" + value.replacingOccurrences(of: "'", with: "")
            let result1 = try await Self.names(client, "filters[price][$null]\(suffix)")
            #expect(result1 == [Self.p3, Self.p4], "\(value)")
            let result2 = try await Self.names(client, "filters[price][$notNull]\(suffix)")
            #expect(result2 == [Self.p0, Self.p1, Self.p2], "\(value)")
        }
    }

    @Test("falsy $null values", arguments: ["=false", "=0", "=f", "=", ""])
    func falsyNulls(suffix: String) async throws {
        try await Self.withProducts { client, _ in
            let result3 = try await Self.names(client, "filters[price][$null]\(suffix)")
            #expect(result3 == [Self.p0, Self.p1, Self.p2], "\(suffix)")
            let result4 = try await Self.names(client, "filters[price][$notNull]\(suffix)")
            #expect(result4 == [Self.p3, Self.p4], "\(suffix)")
        }
    }

    @Test("text operators", arguments: [
        ("filters[name][$containsi]=product", [p0, p1, p2, p3, p4]),
        ("filters[name][$containsi]=PrOdUct", [p0, p1, p2, p3, p4]),
        ("filters[name][$containsi]=production", []),
        ("filters[name][$containsi]=oduct", [p0, p1, p2, p3, p4]),
        ("filters[name][$notContainsi]=production", [p0, p1, p2, p3, p4]),
        ("filters[name][$notContainsi]=ProDuCt", []),
        ("filters[name][$contains]=Product", [p0, p1, p2, p3, p4]),
        ("filters[name][$contains]=product", []),
        ("filters[name][$notContains]=Product", []),
        ("filters[name][$startsWith]=Product", [p0, p1, p2, p3]),
        ("filters[name][$startsWithi]=product", [p0, p1, p2, p3]),
        ("filters[name][$endsWith]= 5", [p4]),
        ("filters[name][$endsWithi]=PRODUCT 5", [p4]),
        ("filters[name][$contains]=Product&filters[name][$notContains]=1", [p1, p2, p3, p4]),
        ("filters[name][$contains]=Product 1&filters[name][$notContains][0]=2&filters[name][$notContains][1]=3", [p0]),
        ("filters[name][$contains]=2&filters[name][$notContains]=Product", []),
    ])
    func text(query: String, expected: [String]) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names == expected, "\(query)")
        }
    }

    @Test("comparisons on numbers, decimals and bigints", arguments: [
        ("filters[rank][$in]=42", [p0]),
        ("filters[rank][$in][0]=42&filters[rank][$in][1]=12", [p0]),
        ("filters[rank][$in][0]=43&filters[rank][$in][1]=12", []),
        ("filters[rank][$notIn][0]=42&filters[rank][$notIn][1]=12", [p1, p2, p3, p4]),
        ("filters[rank][$gt]=42", [p1, p2, p3, p4]),
        ("filters[price][$gt]=9.3&filters[rank][$lt]=50", [p0]),
        ("filters[decimal_field][$gte]=42.43&filters[rank][$lt]=50", [p0]),
        ("filters[big_rank][$gt]=34567891298&filters[rank][$lt]=50", [p0]),
        ("filters[big_rank][$gte]=345678912983&filters[rank][$lt]=50", [p0]),
        ("filters[big_rank][$lt]=3456789129812&filters[rank][$lt]=50", [p0]),
        ("filters[rank][$lte]=42", [p0]),
        ("filters[rank][$lt]=42", []),
        ("filters[rank][$between][0]=80&filters[rank][$between][1]=95", [p1, p2]),
        ("filters[rank][$lte]=42&filters[rank][$gte]=42", [p0]),
        ("filters[rank][$lt]=43&filters[rank][$gt]=431", []),
    ])
    func comparisons(query: String, expected: [String]) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names == expected, "\(query)")
        }
    }

    @Test("implicit OR for arrays", arguments: [
        "filters[rank][0]=42&filters[rank][1]=43", "filters[rank][$ne][0]=41&filters[rank][$ne][1]=43",
        "filters[name][$containsi][0]=Product&filters[name][$containsi][1]=1", "filters[name][$contains][0]=Product&filters[name][$contains][1]=Non existent",
        "filters[rank][$gt][0]=12&filters[rank][$gt][1]=56", "filters[rank][$lte][0]=12&filters[rank][$lte][1]=42",
    ])
    func implicitOr(query: String) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names.contains(Self.p0), "\(query)")
        }
    }

    @Test("number and boolean casting", arguments: [
        ("filters[price]=10.99", [p0]), ("filters[price][$lte]=10.99", [p0]), ("filters[price][$lt]=12", [p0]),
        ("filters[price][$gte]=28.31", [p1, p2]), ("filters[price][$gt]=28.30", [p1, p2]), ("filters[price][$ne]=10.99", [p1, p2]),
        ("filters[price][$not]=10.99", [p1, p2]), ("filters[price][$in][0]=10.99&filters[price][$in][1]=28.31", [p0, p1, p2]),
        ("filters[price][$notIn][0]=10.99&filters[price][$notIn][1]=28.31", []),
        ("filters[isChecked]=1", [p0, p2, p4]), ("filters[isChecked]=true", [p0, p2, p4]), ("filters[isChecked][$eq]=t", [p0, p2, p4]),
        ("filters[isChecked][$in][0]=true", [p0, p2, p4]), ("filters[isChecked]=0", [p1, p3]), ("filters[isChecked]=f", [p1, p3]),
    ])
    func casting(query: String, expected: [String]) async throws {
        try await Self.withProducts { client, _ in
            let names = try await Self.names(client, query)
            #expect(names == expected, "\(query)")
        }
    }

    @Test("sort, offset pagination and search")
    func sortPageSearch() async throws {
        try await Self.withProducts { client, _ in
            let result5 = try await Self.names(client, "sort=rank:desc")
            #expect(result5 == [Self.p4, Self.p3, Self.p2, Self.p1, Self.p0])
            let result6 = try await Self.names(client, "sort=price:asc,rank:desc")
            #expect(result6 == [Self.p4, Self.p3, Self.p0, Self.p2, Self.p1])
            let result7 = try await Self.names(client, "pagination[limit]=1&sort=rank:asc")
            #expect(result7 == [Self.p0])
            let result8 = try await Self.names(client, "pagination[limit]=1&sort=rank:desc")
            #expect(result8 == [Self.p4])
            let result9 = try await Self.names(client, "pagination[start]=1")
            #expect(result9 == [Self.p1, Self.p2, Self.p3, Self.p4])
            let result10 = try await Self.names(client, "pagination[limit]=1&pagination[start]=1")
            #expect(result10 == [Self.p1])
            let result11 = try await Self.names(client, "_q=Опис")
            #expect(result11 == [Self.p4])
            let result12 = try await Self.names(client, "_q=Опис на продукт")
            #expect(result12 == [Self.p4])
            let result13 = try await Self.names(client, "_q=Product description")
            #expect(result13.contains(Self.p0))
            let result14 = try await Self.names(client, "_q=91")
            #expect(result14 == [Self.p2], "numbers match numeric attributes")
        }
    }

    @Test("case-insensitive equality treats % _ and a trailing backslash literally")
    func likeSpecials() async throws {
        try await TestStrata.run(Self.project) { _, client in
            for slug in ["a_c", "abc", "axc", "50%", "5000", "100% pure", "1000 pure", "Cutting\\", "Cutting-tool"] {
                _ = try await client.post("/api/tags", json: ["data": ["slug": .string(slug)]])
            }
            func slugs(_ query: String) async throws -> [String] {
                let response = try await client.get("/api/tags?pagination[pageSize]=100&\(query)")
                #expect(response.status == 200, "\(query)")
                return response.data?.arrayValue?.compactMap { $0["slug"]?.stringValue } ?? []
            }
            #expect(try await slugs("filters[slug][$eqi]=a_c") == ["a_c"])
            #expect(try await slugs("filters[slug][$eqi]=50%25") == ["50%"])
            #expect(try await slugs("filters[slug][$eqi]=ABC") == ["abc"])
            #expect(try await slugs("filters[slug][$eqi]=Cutting%5C") == ["Cutting\\"])
            #expect(try await slugs("filters[slug][$containsi]=0%25") == ["50%", "100% pure"])
            #expect(try await slugs("filters[slug][$containsi]=a_") == ["a_c"])
        }
    }
}
