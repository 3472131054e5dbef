import StrataCore
import Testing
@testable import StrataHTTP

/// Seeded fuzzing of the `qs` decoder with hostile query strings: bracket soup, percent escapes,
/// huge indexes, unicode, empty keys and `$`-operators. `QueryString.parse` cannot throw, so the
/// properties are that it never traps and that what it returns stays within its limits.
@Suite("qs query string fuzzing")
struct QueryFuzzTests {

    // MARK: Generators

    static let segmentPool = [
        "filters", "sort", "populate", "fields", "pagination", "a", "b", "", "$or", "$and", "$not", "$eq", "$in",
        "$between", "$null", "0", "1", "2", "99", "100", "101", "1000", "-1", "00", "01", "1e3", " 1", "9223372036854775807",
        "99999999999999999999", "__proto__", "constructor", "hasOwnProperty", "[", "]", "[]", "][", "a.b.c.d.e.f", "%5B", "%5D",
        "%", "%2", "%zz", "=", "&", "+", "é", "🎉", "\u{202E}", "名前", "a\u{301}", "\u{FEFF}",
    ]

    static let valuePool = [
        "", "x", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1e20", "1e300",
        "1e309", "-1e309", "NaN", "nan", "Infinity", "-Infinity", "0x10", "+5", "-0", "5e-324", "0.1", "true", "false", "t", "null",
        "%", "%%", "%zz", "%0", "%00", "%C3%A9", "%FF%FE", "%E2%9C", "%ED%A0%80", "+", "++", "a+b", "%2B", "%26", "%3D", "%5B%5D",
        "'; DROP TABLE items; --", "\"", "\\", "é", "🎉", "\u{0}", "\u{202E}", "a,b,,c,", ",,,,", "a.b.c", "*", "title:desc",
        "2024-02-30", "2024-13-01T25:61:61Z", "-271821-04-20T00:00:00.000Z",
    ]

    /// A hostile key: a root segment and bracket soup, sometimes broken or percent-encoded.
    static func key(_ random: inout SplitMix64) -> String {
        var key = random.chance(90) ? random.pick(segmentPool) : ""
        let count = random.chance(10) ? random.int(15...40) : random.int(0...6)
        for _ in 0..<count {
            switch random.int(0...9) {
            case 0: key += "["
            case 1: key += "]"
            case 2: key += "[]"
            case 3: key += "[" + random.pick(segmentPool) + "[" + random.pick(segmentPool) + "]]"
            case 4: key += "%5B" + random.pick(segmentPool) + "%5D"
            case 5: key += "[\(random.int(0...120))]"
            default: key += "[" + random.pick(segmentPool) + "]"
            }
        }
        if random.chance(5) { key += random.pick(segmentPool) }
        return key
    }

    static func value(_ random: inout SplitMix64) -> String {
        switch random.int(0...9) {
        case 0 where random.chance(10): return String(repeating: random.pick(["a", "%", "é", ",", "[", "%41"]), count: random.int(100...3000))
        case 1: return percentEncoded(randomString(&random))
        case 2: return randomString(&random)
        default: return random.pick(valuePool)
        }
    }

    static func randomString(_ random: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<random.int(0...24) {
            let code: UInt32
            switch random.int(0...5) {
            case 0: code = UInt32(random.int(0...0x7F))
            case 1: code = UInt32(random.int(0x80...0x7FF))
            case 2: code = UInt32(random.int(0x800...0xD7FF))
            case 3: code = UInt32(random.int(0x10000...0x10FFFF))
            default: code = UInt32(random.pick(Array("&=%+[]$ ,.:#?/\\\"'".unicodeScalars)).value)
            }
            scalars.append(Unicode.Scalar(code) ?? "?")
        }
        return String(scalars)
    }

    /// Every byte outside unreserved ASCII as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result += "%"
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// One hostile query string; a `long` one has around `parameterLimit` parameters.
    static func query(_ random: inout SplitMix64, long: Bool = false) -> String {
        var parts: [String] = []
        let count = long ? random.int(900...1300) : random.int(0...12)
        for _ in 0..<count {
            switch random.int(0...19) {
            case 0: parts.append("")
            case 1: parts.append("=" + value(&random))
            case 2: parts.append(key(&random))
            case 3: parts.append(key(&random) + "==" + value(&random))
            case 4: parts.append(random.pick(["&", "&&", "=", "==", "%", "[", "]", "[]=", "[=", "]=", "?"]))
            default: parts.append(key(&random) + "=" + value(&random))
            }
        }
        return parts.joined(separator: "&")
    }

    // MARK: Measures

    /// Containers on the deepest path below (not counting) `value` itself.
    static func nesting(_ value: JSONValue) -> Int {
        switch value {
        case .array(let items): return 1 + (items.map(nesting).max() ?? 0)
        case .object(let object): return 1 + (object.values.map(nesting).max() ?? 0)
        default: return 0
        }
    }

    /// Leaves, after checking that every one is a string or null (qs yields nothing else).
    static func leaves(_ value: JSONValue) -> Int? {
        switch value {
        case .string, .null: return 1
        case .array(let items):
            var total = 0
            for item in items { guard let count = leaves(item) else { return nil }; total += count }
            return total
        case .object(let object):
            var total = 0
            for item in object.values { guard let count = leaves(item) else { return nil }; total += count }
            return total
        default: return nil
        }
    }

    // MARK: Properties

    @Test("hostile query strings never trap; leaves are strings or null, at most one per parameter", arguments: [UInt64(1), 2])
    func hostileQueries(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<600 {
            let query = Self.query(&random, long: index == 250)
            let parsed = QueryString.parse(Substring(query))
            let parameters = query.split(separator: "&").count
            let leaves = Self.leaves(.object(parsed))
            #expect(leaves != nil, "seed \(seed) case \(index): a leaf is not a string or null for \(query.prefix(500))")
            #expect((leaves ?? 0) <= min(parameters, QueryString.parameterLimit), "seed \(seed) case \(index): \(leaves ?? 0) leaves from \(parameters) parameters: \(query.prefix(500))")
            // Any nesting comes from a key's segments (root, `depth` brackets and the literal rest),
            // each at most once more for qs's `[value, object]` merge of a value with an object.
            let depth = Self.nesting(.object(parsed))
            #expect(depth <= 2 * (QueryString.depth + 2), "seed \(seed) case \(index): nesting \(depth) for \(query.prefix(500))")
            if depth > 2 * (QueryString.depth + 2) { return }
        }
    }

    @Test("one parameter never nests deeper than the depth limit + 1 below its root key", arguments: [UInt64(11), 12])
    func singleKeyDepth(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<1_000 {
            var key = random.pick(["a", "filters", "", "$or"])
            for _ in 0..<random.int(0...60) {
                key += random.chance(80) ? "[" + random.pick(["", "0", "5", "b", "$or", "1000"]) + "]" : random.pick(["[", "]", "x"])
            }
            let query = key + (random.chance(80) ? "=v" : "")
            let parsed = QueryString.parse(Substring(query))
            #expect(parsed.count <= 1, "seed \(seed) case \(index): \(query)")
            let depth = parsed.values.map(Self.nesting).max() ?? 0
            #expect(depth <= QueryString.depth + 1, "seed \(seed) case \(index): nesting \(depth) for \(query)")
        }
    }

    @Test("the deepest possible key and the longest bracket soups stay bounded")
    func extremes() {
        let deep = "a" + String(repeating: "[b]", count: 5_000) + "=v"
        let parsed = QueryString.parse(Substring(deep))
        #expect(Self.nesting(parsed["a"] ?? .null) == QueryString.depth + 1)
        _ = QueryString.parse(Substring(String(repeating: "[", count: 20_000) + "=" + String(repeating: "]", count: 20_000)))
        _ = QueryString.parse(Substring(String(repeating: "[]", count: 20_000) + "=x"))
        _ = QueryString.parse(Substring(String(repeating: "a[0]=x&a=y&", count: 600)))
        _ = QueryString.parse(Substring(String(repeating: "%", count: 50_000)))
        _ = QueryString.parse(Substring(String(repeating: "&", count: 50_000)))
        _ = QueryString.parse(Substring(String(repeating: "a[100]=x&a[101]=y&", count: 500)))
        // A thousand pushes onto one key make a thousand-element array (qs does the same).
        let pushes = QueryString.parse(Substring(String(repeating: "a[]=x&", count: 1_500)))
        #expect(pushes["a"]?.arrayValue?.count == QueryString.parameterLimit)
    }

    @Test("a value that is percent-encoded decodes to itself, whatever its characters", arguments: [UInt64(21), 22])
    func percentRoundTrip(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<2_000 {
            let text = Self.randomString(&random)
            let parsed = QueryString.parse(Substring("k=" + Self.percentEncoded(text)))
            #expect(parsed["k"] == .string(text), "seed \(seed) case \(index): \(Array(text.unicodeScalars))")
            // A key without a bracket is one segment, whatever else it holds.
            if !text.isEmpty, !text.contains("[") {
                let keyed = QueryString.parse(Substring(Self.percentEncoded(text) + "=v"))
                #expect(keyed == [text: "v"], "seed \(seed) case \(index): key \(Array(text.unicodeScalars))")
            }
        }
    }

    @Test("keys are decoded before brackets are read: encoding every bracket changes nothing", arguments: [UInt64(31), 32])
    func encodedBrackets(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<400 {
            let query = Self.query(&random)
            var encoded = ""
            for character in query {
                switch character {
                case "[": encoded += "%5B"
                case "]": encoded += "%5d"
                case "+": encoded += "%20"
                default: encoded.append(character)
                }
            }
            let plain = QueryString.parse(Substring(query))
            let decoded = QueryString.parse(Substring(encoded))
            #expect(plain == decoded, "seed \(seed) case \(index): \(query.prefix(500))")
            if plain != decoded { return }
        }
    }
}

