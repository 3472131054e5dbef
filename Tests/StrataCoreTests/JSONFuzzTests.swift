import Testing
@testable import StrataCore

/// Seeded fuzzing of ``JSONParser`` and ``JSONWriter``: random bytes, mutated documents, hostile
/// numbers, escapes and deep nesting. The parser returns a value or throws ``JSONParseError``
/// (its typed throw) and never traps; what it accepts survives a write and re-parse unchanged
/// (the writer's output is a fixed point of parse-then-write).
@Suite("JSON fuzzing")
struct JSONFuzzTests {

    // MARK: Generators

    static let hostileDoubles: [Double] = [
        0, -0.0, 1e20, 1e21, 1e300, -1e300, 1e-7, 1e-6, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNormalMagnitude, .infinity, -.infinity, .nan, 0.1, 0.3, 1.5, 0x1p63, -0x1p63, 0x1p53 + 2, 1e15, 1e16 + 2, 4.35, 1 / 3,
    ] + ["123456789012345678901", "9007199254740993", "999999999999999.9", "1234567890123456789", "-1e-7"].map { Double($0)! }

    static let hostileInts: [Int64] = [0, 1, -1, .max, .min, .max - 1, .min + 1, 9_007_199_254_740_993, 1_000_000_000_000_000]

    static func randomString(_ random: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<(random.chance(3) ? random.int(200...2000) : random.int(0...16)) {
            let code: UInt32
            switch random.int(0...6) {
            case 0: code = UInt32(random.int(0...0x1F))
            case 1: code = UInt32(random.pick(Array("\"\\/\u{7F}\u{2028}\u{2029}\u{FEFF}\u{FFFD}\u{FFFF}".unicodeScalars)).value)
            case 2: code = UInt32(random.int(0x80...0x7FF))
            case 3: code = UInt32(random.int(0x800...0xD7FF))
            case 4: code = UInt32(random.int(0x10000...0x10FFFF))
            default: code = UInt32(random.int(0x20...0x7E))
            }
            scalars.append(Unicode.Scalar(code) ?? "?")
        }
        return String(scalars)
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int, budget: inout Int) -> JSONValue {
        budget -= 1
        let leafOnly = depth <= 0 || budget <= 0
        switch random.int(0...(leafOnly ? 5 : 8)) {
        case 0: return .null
        case 1: return .bool(random.chance(50))
        case 2: return .int(random.chance(50) ? random.pick(hostileInts) : Int64.random(in: .min ... .max, using: &random))
        case 3:
            if random.chance(30) { return .double(Double(bitPattern: random.next())) }
            return .double(random.chance(60) ? random.pick(hostileDoubles) : Double.random(in: -1e6...1e6, using: &random))
        case 4, 5: return .string(randomString(&random))
        case 6, 7:
            var object = JSONObject()
            for _ in 0..<random.int(0...6) {
                object[random.chance(20) ? random.pick(["", "a", "__proto__", "$or", "a.b", "\u{0}"]) : randomString(&random)] =
                    randomValue(&random, depth: depth - 1, budget: &budget)
            }
            return .object(object)
        default:
            return .array((0..<random.int(0...6)).map { _ in randomValue(&random, depth: depth - 1, budget: &budget) })
        }
    }

    static func randomValue(_ random: inout SplitMix64) -> JSONValue {
        var budget = 120
        return randomValue(&random, depth: random.int(0...8), budget: &budget)
    }

    static let tokens: [[UInt8]] = ([String](arrayLiteral: "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "true", "false", "null",
        "-", "0", "1", "e", "E", "+", ".", "9223372036854775808", "1e400", " ", "\n", "\u{0}", "\"a\"", "{\"a\":", "[1,",
        "NaN", "Infinity", "\u{FEFF}", "\u{C0}", "\u{FF}")).map { Array($0.utf8) }

    /// Bytes that are mostly JSON tokens, sometimes raw noise (invalid UTF-8 included).
    static func randomText(_ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<random.int(0...40) {
            if random.chance(15) {
                bytes += random.bytes(random.int(1...4))
            } else {
                bytes += random.pick(tokens)
            }
        }
        return bytes
    }

    /// A valid document with a few bytes changed, inserted, removed or cut.
    static func mutated(_ text: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = text
        for _ in 0..<random.int(1...3) {
            let position = bytes.isEmpty ? 0 : random.int(0...(bytes.count - 1))
            switch random.int(0...5) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 1 where !bytes.isEmpty: bytes[position] ^= UInt8(1) << UInt8(random.int(0...7))
            case 2: bytes.insert(contentsOf: random.pick(tokens), at: position)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + random.int(1...8)))
            case 4: bytes = Array(bytes.prefix(position))
            default: bytes.insert(contentsOf: bytes[position...].prefix(random.int(1...20)), at: position)
            }
        }
        return bytes
    }

    // MARK: Helpers

    /// Parses and, when the text is accepted, checks that writing is a fixed point of
    /// parse-then-write. Returns whether the text was accepted.
    @discardableResult
    static func check(_ bytes: [UInt8], _ context: @autoclosure () -> String) -> Bool {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            #expect((0...bytes.count).contains(error.offset), "\(context()): offset \(error.offset) outside the input, \(error)")
            return false
        }
        let written = JSONWriter.serialize(value)
        do {
            let again = try JSONParser.parse(written)
            #expect(JSONWriter.serialize(again) == written, "\(context()): write(parse(write(v))) != write(v) for \(String(decoding: written.prefix(300), as: UTF8.self))")
            #expect(same(again, value), "\(context()): re-parsed value differs: \(String(decoding: written.prefix(300), as: UTF8.self))")
        } catch {
            Issue.record("\(context()): the writer's output does not parse (\(error)): \(String(decoding: written.prefix(300), as: UTF8.self))")
        }
        return true
    }

    /// Equality as JSON text means it: numbers by value (5 and 5.0 are one number), non-finite
    /// doubles as `null` (what `JSON.stringify` writes), and large integers as the double they print as.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.double(let x), _) where !x.isFinite: return same(.null, b)
        case (_, .double(let y)) where !y.isFinite: return same(a, .null)
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            if case .int(let x) = a, case .int(let y) = b { return x == y }
            return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.keys == y.keys && zip(x.values, y.values).allSatisfy { same($0, $1) }
        default:
            return a == b
        }
    }

    // MARK: Properties

    @Test("generated values survive write, parse and write again", arguments: [UInt64(1), 2])
    func generatedRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for index in 0..<800 {
            let value = Self.randomValue(&random)
            let text = JSONWriter.serialize(value)
            let accepted = Self.check(text, "seed \(seed) case \(index)")
            #expect(accepted, "seed \(seed) case \(index): the writer's output was refused: \(String(decoding: text.prefix(300), as: UTF8.self))")
            let parsed = try JSONParser.parse(text)
            #expect(Self.same(parsed, value), "seed \(seed) case \(index): \(String(decoding: text.prefix(300), as: UTF8.self))")
            // Pretty output is the same document.
            let pretty = try JSONParser.parse(JSONWriter.prettyString(value))
            #expect(JSONWriter.serialize(pretty) == text, "seed \(seed) case \(index): pretty output differs")
        }
    }

    @Test("random token soup and raw bytes parse or throw JSONParseError", arguments: [UInt64(11), 12, 13])
    func randomTexts(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<3_000 {
            let bytes = Self.randomText(&random)
            Self.check(bytes, "seed \(seed) case \(index) bytes \(bytes)")
        }
    }

    @Test("mutated valid documents parse or throw JSONParseError", arguments: [UInt64(21), 22])
    func mutatedDocuments(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for index in 0..<1_500 {
            let text = JSONWriter.serialize(Self.randomValue(&random))
            let bytes = Self.mutated(text, &random)
            Self.check(bytes, "seed \(seed) case \(index) bytes \(bytes.count > 400 ? Array(bytes.prefix(400)) : bytes)")
        }
    }

    @Test("hostile numbers: integers that fit stay .int, the rest become .double; malformed ones are refused")
    func hostileNumbers() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(0x1p63))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-0x1p63))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("1e20") == .double(1e20))
        #expect(try JSONParser.parse("1e300") == .double(1e300))
        #expect(try JSONParser.parse("1e-400") == .double(0))
        // Out of range is Infinity, as in JavaScript, and JSON.stringify writes that as null.
        #expect(try JSONParser.parse("1e400") == .double(.infinity))
        #expect(try JSONParser.parse("-1e400") == .double(-.infinity))
        #expect(JSONWriter.string(try JSONParser.parse("[1e400,-1e400]")) == "[null,null]")
        #expect(JSONWriter.string(.double(.nan)) == "null")
        let long = "1" + String(repeating: "0", count: 5_000)
        #expect(try JSONParser.parse(long) == .double(.infinity))
        _ = try JSONParser.parse("0." + String(repeating: "9", count: 5_000) + "e-99999999999999999999")
        _ = try JSONParser.parse("1e99999999999999999999999")
        for bad in ["01", "+1", "1.", ".5", "1e", "1e+", "-", "--1", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "1.e5", "- 1", "1 2", "00"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
        }
    }

    @Test("nesting up to the limit parses and writes; deeper is refused without exhausting the stack")
    func deepNesting() throws {
        let limit = JSONParser.maximumDepth
        let arrays = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let value = try JSONParser.parse(arrays)
        #expect(JSONWriter.string(value) == arrays)
        _ = try JSONParser.parse(JSONWriter.prettyString(value))
        #expect(throws: JSONParseError.self) {
            try JSONParser.parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
        }
        let objects = String(repeating: #"{"a":"#, count: limit - 1) + "1" + String(repeating: "}", count: limit - 1)
        _ = try JSONParser.parse(objects)
        for text in [String(repeating: "[", count: 200_000), String(repeating: #"{"a":"#, count: 200_000), String(repeating: "[{\"\":", count: 100_000)] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        }
    }

    @Test("every string survives escaping, and \\u escapes of every UTF-16 unit decode to the same string", arguments: [UInt64(31), 32])
    func strings(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for index in 0..<2_000 {
            let string = Self.randomString(&random)
            #expect(try JSONParser.parse(JSONWriter.string(.string(string))) == .string(string), "seed \(seed) case \(index)")
            let escaped = "\"" + string.utf16.map { unit in
                let hex = String(unit, radix: 16)
                return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }.joined() + "\""
            #expect(try JSONParser.parse(escaped) == .string(string), "seed \(seed) case \(index): \(escaped.prefix(300))")
        }
        // Lone surrogates become U+FFFD; bad escapes, raw control characters and invalid UTF-8 are refused.
        #expect(try JSONParser.parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse(#""\udc00\ud800x""#) == .string("\u{FFFD}\u{FFFD}x"))
        #expect(try JSONParser.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        for bad in [#""\x""#, #""\u12""#, #""\u12G4""#, "\"\u{1}\"", #""\"#, #""\ud800\u12"#, "\"abc"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
        }
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
            #expect(throws: JSONParseError.self, "\(bytes)") { try JSONParser.parse(bytes) }
        }
    }

    /// Objects past the parser's indexed size keep JavaScript's rules for duplicate keys (first
    /// position, last value), and a 50,000-key body parses (it once took 100 s: each key was
    /// compared with every earlier one; bench/ is where speed is measured).
    @Test("wide objects: duplicates keep the first position and the last value, and 50,000 keys parse")
    func wideObject() throws {
        let members = (0..<40).map { "\"k\($0 % 30)\":\($0)" }.joined(separator: ",")
        let parsed = try JSONParser.parse("{" + members + "}")
        let object = try #require(parsed.objectValue)
        #expect(object.count == 30)
        #expect(object.keys.first == "k0" && object.keys.last == "k29")
        #expect(object["k5"] == 35, "the last value wins")
        #expect(object["k20"] == 20)
        let wide = "{" + (0..<50_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k7\":-1}"
        let value = try #require(try JSONParser.parse(wide).objectValue)
        #expect(value.count == 50_000)
        #expect(value["k7"] == -1)
        #expect(value.keys[7] == "k7")
    }
}
