import Testing
@testable import StrataCore

@Suite("JSON")
struct JSONTests {
    @Test("keeps key order through parse and write")
    func keyOrder() throws {
        let text = #"{"z":1,"a":{"y":true,"b":null},"m":[1,"two",3.5]}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.string(value) == text)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test("integers stay integers and doubles keep their digits")
    func numbers() throws {
        let value = try JSONParser.parse("[1, -7, 10.99, 1e3, 9223372036854775807, 9223372036854775808]")
        guard case .array(let items) = value else { Issue.record("not an array"); return }
        #expect(items[0] == .int(1))
        #expect(items[1] == .int(-7))
        #expect(items[2] == .double(10.99))
        #expect(items[3] == .double(1000))
        #expect(items[4] == .int(Int64.max))
        #expect(items[5] == .double(9223372036854775808))
    }

    @Test("duplicate keys keep the first position and the last value, like JSON.parse")
    func duplicateKeys() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(JSONWriter.string(value) == #"{"a":3,"b":2}"#)
    }

    @Test("the eight-bytes-at-a-time escape scan finds every byte that needs escaping, at every position")
    func escapeScan() {
        func reference(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        func scan(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { JSONWriter.needsEscaping($0) } }
        // Every byte value at every position of buffers up to 19 bytes, among safe ASCII or high bytes.
        for filler: UInt8 in [0x61, 0x20, 0x7F, 0x80, 0xC3, 0xFF, 0x21, 0x23, 0x5B, 0x5D] {
            for length in 0..<20 {
                #expect(scan(Array(repeating: filler, count: length)) == false)
                for position in 0..<length {
                    for value in UInt8.min...UInt8.max {
                        var bytes = Array(repeating: filler, count: length)
                        bytes[position] = value
                        if scan(bytes) != reference(bytes) {
                            Issue.record("filler \(filler) length \(length) position \(position) byte \(value)")
                            return
                        }
                    }
                }
            }
        }
        // Random buffers, with escapes rare enough that many have none.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                Int.random(in: 0..<200, using: &generator) == 0 ? UInt8.random(in: 0...0x5C, using: &generator) : UInt8.random(in: 0x5D...0xFF, using: &generator)
            }
            #expect(scan(bytes) == reference(bytes))
        }
        #expect(JSONWriter.string(.string("a long line of text without escapes, then a \"quote\" and a\ttab")) == #""a long line of text without escapes, then a \"quote\" and a\ttab""#)
    }

    @Test("string escapes match JSON.stringify")
    func escapes() throws {
        let value = JSONValue.string("a\"b\\c\n\t\u{01}é😀\u{2028}")
        #expect(JSONWriter.string(value) == "\"a\\\"b\\\\c\\n\\t\\u0001é😀\u{2028}\"")
        let parsed = try JSONParser.parse(#""\u00e9\ud83d\ude00\/""#)
        #expect(parsed == .string("é😀/"))
    }

    @Test("lone surrogate escapes become U+FFFD instead of failing")
    func loneSurrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d x""#) == .string("\u{FFFD} x"))
    }

    @Test("numbers are formatted as JavaScript's Number.prototype.toString", arguments: [
        (0.0, "0"), (-0.0, "0"), (5.0, "5"), (10.99, "10.99"), (0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"),
        (1e-7, "1e-7"), (123456789012345680000.0, "123456789012345680000"), (0.000001, "0.000001"), (1.5e-10, "1.5e-10"),
        (-42.5, "-42.5"), (1e15, "1000000000000000"), (1.23e22, "1.23e+22"), (9007199254740992.0, "9007199254740992"),
        (1.0 / 3.0, "0.3333333333333333"), (1e16, "10000000000000000"), (3.14159e22, "3.14159e+22"),
        (123456789012345.6, "123456789012345.6"), (0.0001, "0.0001"), (-3.74, "-3.74"), (4503599627370495.5, "4503599627370495.5"),
    ])
    func javaScriptNumbers(value: Double, expected: String) {
        #expect(JSONWriter.javaScriptNumber(value) == expected)
    }

    @Test("NaN and infinities are written as null")
    func nonFinite() {
        #expect(JSONWriter.string(.double(.nan)) == "null")
        #expect(JSONWriter.string(.double(.infinity)) == "null")
    }

    @Test("malformed input throws with a position, never crashes", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"abc", "{\"a\":1}x", "\"\u{01}\"", "[\"\\x\"]", "-", "nul",
    ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func depthLimit() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test("pretty printing uses two spaces like JSON.stringify(v, null, 2)")
    func pretty() {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(JSONWriter.prettyString(value) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}")
    }

    @Test("object edits keep positions")
    func objectEdits() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = 20
        object["d"] = 4
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        #expect(object["b"] == 20)
    }
}
