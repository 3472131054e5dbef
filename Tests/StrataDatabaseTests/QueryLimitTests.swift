import Foundation
import StrataCore
import StrataSchema
import StrataSQL
import Testing
@testable import StrataDatabase

/// The parsers' size limits and the SQL shapes that keep large queries within database limits.
@Suite("Query limits")
struct QueryLimitTests {
    var metadata: StorageMetadata { FilterSQLTests.metadata }
    var model: Model { metadata.model(try! UID("api::item.item"))! }

    @Test("long OR lists are nested in balanced groups of at most 64 terms")
    func balancedGroups() throws {
        let terms = (0..<200).map { "$or[\($0)][rank]=\($0)" }.joined(separator: "&")
        let sql = try FilterSQLTests().sql(terms)
        let predicate = String(sql.split(separator: " | ")[0])
        // 200 terms: four groups (64, 64, 64, 8) inside one outer group.
        #expect(predicate.hasPrefix("((`t0`.`rank` = &1 OR "))
        #expect(predicate.components(separatedBy: ") OR (").count == 4)
        #expect(predicate.components(separatedBy: " OR ").count == 200)
        // Short lists keep their flat shape.
        #expect(try FilterSQLTests().sql("$or[0][rank]=1&$or[1][rank]=2").hasPrefix("(`t0`.`rank` = &1 OR `t0`.`rank` = &2) |"))
    }

    @Test("filters count each operator and list value against filterConditions")
    func conditionLimit() throws {
        let rules = QueryRules(limits: QueryLimits(filterConditions: 3))
        let parser = FilterParser(metadata: metadata, rules: rules)
        _ = try parser.parse(["rank": ["$in": [1, 2, 3]]], model: model)
        #expect(throws: ValidationError.self) { try parser.parse(["rank": ["$in": [1, 2, 3, 4]]], model: model) }
        #expect(throws: ValidationError.self) {
            try parser.parse(["$or": [["rank": 1], ["rank": 2], ["name": "a"], ["name": "b"]]], model: model)
        }
    }

    @Test("nesting deeper than pathDepth is refused by every parser")
    func depth() throws {
        let rules = QueryRules(limits: QueryLimits(pathDepth: 4))
        var nested: JSONValue = ["rank": 1]
        for _ in 0..<6 { nested = ["$and": [nested]] }
        #expect(throws: ValidationError.self) { try FilterParser(metadata: metadata, rules: rules).parse(nested, model: model) }
        #expect(throws: ValidationError.self) { try SortParser(metadata: metadata, rules: rules).parse("seo.a.b.c.d.e", model: model) }
        #expect(throws: ValidationError.self) { try PopulateParser(metadata: metadata, rules: rules).parse("seo.a.b.c.d.e", model: model) }
    }

    @Test("sort terms past sortTerms are refused as they are counted")
    func sortTerms() throws {
        let parser = SortParser(metadata: metadata, rules: QueryRules(limits: QueryLimits(sortTerms: 2)))
        #expect(try parser.parse("rank,name", model: model).count == 2)
        #expect(throws: ValidationError.self) { try parser.parse("rank,name,price", model: model) }
        #expect(throws: ValidationError.self) { try parser.parse(["rank", "name", ["price": "asc"]], model: model) }
    }

    @Test("a connect chain as long as a body allows is ordered without recursion")
    func longConnectChain() throws {
        let count = 200_000
        let connections = (1...count).map { id in
            RelationConnection(id: Int64(id), position: id == count ? .end : .before(Int64(id + 1)))
        }
        let sorted = try RelationOrdering.sortConnections(connections, existing: [], strict: true)
        #expect(sorted.count == count)
        #expect(sorted.first?.id == Int64(count))
        #expect(sorted.last?.id == 1)
        let loop = [RelationConnection(id: 1, position: .before(2)), RelationConnection(id: 2, position: .after(1))]
        #expect(throws: (any Error).self) { try RelationOrdering.sortConnections(loop, existing: [], strict: true) }
    }
}
