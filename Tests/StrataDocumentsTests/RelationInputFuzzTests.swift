import StrataCore
import Testing
@testable import StrataDocuments

/// Seeded fuzzing of relation inputs in write bodies (`set`, `connect`/`disconnect` with positions,
/// shorthand ids and documentIds, longhand objects) with hostile values: ``RelationInput/parse(_:path:)``
/// returns a well-formed input or throws ``ValidationError`` (its typed throw), and never traps.
@Suite("Relation input fuzzing")
struct RelationInputFuzzTests {

    // MARK: Generators

    static let scalars: [JSONValue] = [
        .null, .bool(true), .bool(false), .int(0), .int(1), .int(-1), .int(42), .int(.max), .int(.min),
        .double(1.5), .double(-0.0), .double(1), .double(1e20), .double(1e300), .double(-1e300), .double(0x1p63), .double(0x1p63 - 1024),
        .double(.infinity), .double(-.infinity), .double(.nan), .double(.leastNonzeroMagnitude),
        "", " ", "0", "1", "-5", "+7", " 1", "1 ", "12abc", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "1e20", "NaN", "Infinity", "null", "true", "abcdefghijklmnopqrstuvwx", "é🎉", "\u{0}", "'; DROP TABLE x; --",
        .string(String(repeating: "d", count: 5_000)),
    ]

    static let itemKeys = ["documentId", "id", "locale", "status", "position", "__type", "extra", "", "$set", "connect"]
    static let statuses: [JSONValue] = ["draft", "published", "modified", "", .null, .int(1), .bool(true), ["draft"]]
    static let locales: [JSONValue] = ["en", "fr", "", .null, .int(3), ["en"]]
    static let stricts: [JSONValue] = [.bool(true), .bool(false), "true", "false", "yes", .int(1), .null]
    static let anchorValues: [JSONValue] = [.bool(true), .null, .object([:])]

    static func scalar(_ random: inout SplitMix64) -> JSONValue {
        random.chance(70) ? random.pick(scalars) : .int(Int64.random(in: .min ... .max, using: &random))
    }

    static func position(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch random.int(0...9) {
        case 0: return .null
        case 1: return scalar(&random)
        case 2: return .array([reference(&random, depth: depth - 1)])
        default:
            var object = JSONObject()
            for _ in 0..<random.int(0...3) {
                let key = random.pick(["before", "after", "start", "end", "", "middle"])
                object[key] = random.chance(70) ? reference(&random, depth: depth - 1) : random.pick(anchorValues)
            }
            return .object(object)
        }
    }

    /// A related entry: shorthand scalar or longhand object.
    static func reference(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        if depth <= 0 || random.chance(40) { return scalar(&random) }
        var object = JSONObject()
        for _ in 0..<random.int(0...4) {
            let key = random.chance(85) ? random.pick(Array(itemKeys.prefix(5))) : random.pick(itemKeys)
            switch key {
            case "status": object[key] = random.pick(statuses)
            case "locale": object[key] = random.pick(locales)
            case "position": object[key] = position(&random, depth: depth)
            case "documentId", "id": object[key] = random.chance(90) ? scalar(&random) : randomValue(&random, depth: depth - 1)
            default: object[key] = randomValue(&random, depth: depth - 1)
            }
        }
        return .object(object)
    }

    static func list(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch random.int(0...9) {
        case 0: return .null
        case 1: return reference(&random, depth: depth)
        case 2: return .array((0..<random.int(990...1_010)).map { _ in .int(Int64.random(in: 1...1_000_000, using: &random)) })
        default: return .array((0..<random.int(0...6)).map { _ in reference(&random, depth: depth) })
        }
    }

    /// Any JSON value, for places that expect something else.
    static func randomValue(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        if depth <= 0 { return scalar(&random) }
        switch random.int(0...4) {
        case 0: return .array((0..<random.int(0...3)).map { _ in randomValue(&random, depth: depth - 1) })
        case 1:
            var object = JSONObject()
            for _ in 0..<random.int(0...3) {
                object[random.pick(itemKeys + ["set", "disconnect", "options", "strict"])] = randomValue(&random, depth: depth - 1)
            }
            return .object(object)
        default: return scalar(&random)
        }
    }

    /// A relation attribute's value in any of Strapi's syntaxes, or something near one.
    static func input(_ random: inout SplitMix64) -> JSONValue {
        let depth = random.int(1...4)
        switch random.int(0...9) {
        case 0: return scalar(&random)
        case 1: return randomValue(&random, depth: depth)
        case 2: return list(&random, depth: depth)
        case 3: return reference(&random, depth: depth)
        default:
            var object = JSONObject()
            for _ in 0..<random.int(1...4) {
                let key = random.chance(90) ? random.pick(["set", "connect", "disconnect", "options"]) : random.pick(["extra", "", "position", "id"])
                switch key {
                case "options":
                    if random.chance(70) {
                        var options = JSONObject()
                        options["strict"] = random.pick(stricts)
                        if random.chance(10) { options["other"] = .bool(true) }
                        object[key] = .object(options)
                    } else {
                        object[key] = randomValue(&random, depth: 1)
                    }
                default:
                    object[key] = list(&random, depth: depth)
                }
            }
            return .object(object)
        }
    }

    // MARK: Checks

    static func isWellFormed(_ reference: RelationReference) -> Bool {
        switch reference {
        case .id(let id): return id > 0
        case .documentId(let text, _, _): return !text.isEmpty
        }
    }

    static func isWellFormed(_ item: RelationItem, positioned: Bool) -> Bool {
        guard isWellFormed(item.reference) else { return false }
        switch item.position {
        case nil, .start?, .end?: return item.position == nil || positioned
        case .before(let anchor)?, .after(let anchor)?: return positioned && isWellFormed(anchor)
        }
    }

    static func validate(_ value: JSONValue, path: String, _ context: @autoclosure () -> String) {
        do {
            let input = try RelationInput.parse(value, path: path)
            #expect(try RelationInput.parse(value, path: path) == input, "\(context()): not deterministic")
            switch input {
            case .set(let items):
                #expect(items.count <= RelationInput.maximumItems, "\(context())")
                #expect(items.allSatisfy { isWellFormed($0, positioned: false) }, "\(context()): \(items.prefix(20))")
            case .connect(let connect, let disconnect, _):
                #expect(connect.count + disconnect.count <= RelationInput.maximumItems, "\(context())")
                #expect(connect.allSatisfy { isWellFormed($0, positioned: true) }, "\(context()): \(connect.prefix(20))")
                #expect(disconnect.allSatisfy { isWellFormed($0, positioned: false) }, "\(context()): \(disconnect.prefix(20))")
            }
        } catch {
            #expect(!error.message.isEmpty, "\(context()): a validation error without a message")
        }
    }

    // MARK: Properties

    @Test("hostile relation inputs parse to well-formed references or throw ValidationError", arguments: [UInt64(1), 2, 3, 4])
    func hostileInputs(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<1_500 {
            let value = Self.input(&random)
            let path = random.pick(["tags", "a.b.c", "", "$or", "seo.0.products"])
            Self.validate(value, path: path, "seed \(seed) case \(index): \(JSONWriter.string(value).prefix(600))")
        }
    }

    @Test("documented syntaxes parse as expected at their edges")
    func edges() throws {
        #expect(try RelationInput.parse(.int(.max), path: "a") == .set([RelationItem(reference: .id(.max), position: nil)]))
        #expect(try RelationInput.parse("9223372036854775807", path: "a") == .set([RelationItem(reference: .id(.max), position: nil)]))
        // Not an id: a documentId, as Strapi reads any other string.
        #expect(try RelationInput.parse("9223372036854775808", path: "a") == .set([RelationItem(reference: .documentId("9223372036854775808", locale: nil, status: nil), position: nil)]))
        let bads: [JSONValue] = [.int(0), .int(-1), .int(.min), .double(1e20), .double(1e300), .double(.infinity), .double(.nan), .double(1.5), "", .bool(true),
                               ["id": "abc"], ["id": "9223372036854775808"], ["documentId": 5], ["documentId": ""], ["status": "draft"], ["extra": 1],
                               ["set": [1], "connect": [2]], ["connect": [["id": 1, "position": ["before": 0]]]], ["connect": [1], "options": ["strict": "yes"]],
                               ["disconnect": [["id": 1, "position": ["start": true]]]], ["connect": [["id": 1, "position": ["nowhere": true]]]]]
        for bad in bads {
            #expect(throws: ValidationError.self, "\(bad)") { try RelationInput.parse(bad, path: "a") }
        }
        // The item limit counts connect and disconnect together, and a set of exactly the limit passes.
        let ids = (1...Int64(RelationInput.maximumItems)).map { JSONValue.int($0) }
        _ = try RelationInput.parse(.array(ids), path: "a")
        #expect(throws: ValidationError.self) { try RelationInput.parse(.array(ids + [1]), path: "a") }
        #expect(throws: ValidationError.self) { try RelationInput.parse(["connect": .array(ids), "disconnect": [1]], path: "a") }
        // A long chain of positions parses without recursion.
        let chain = (1...Int64(RelationInput.maximumItems)).map { JSONValue.object(["id": .int($0), "position": ["before": .int($0 + 1)]]) }
        _ = try RelationInput.parse(["connect": .array(chain)], path: "a")
    }
}
