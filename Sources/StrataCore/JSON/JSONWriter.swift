/// Serializes ``JSONValue`` to compact JSON text exactly as JavaScript's `JSON.stringify` would:
/// same escapes, same number formatting (`5` not `5.0`, `1e+21`, `1e-7`), key order kept.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: serialize(value), as: UTF8.self)
    }

    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.bytes.reserveCapacity(2048)
        writer.write(value)
        return writer.bytes
    }

    /// Pretty-printed with two-space indentation, as `JSON.stringify(value, null, 2)`.
    public static func prettyString(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.writePretty(value, indent: 0)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let flag): appendASCII(flag ? "true" : "false")
        case .int(let number): appendASCII(String(number))
        case .double(let number): appendASCII(JSONWriter.javaScriptNumber(number))
        case .string(let string): writeString(string)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for index in 0..<object.keys.count {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(object.keys[index])
                bytes.append(UInt8(ascii: ":"))
                write(object.values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func writePretty(_ value: JSONValue, indent: Int) {
        switch value {
        case .array(let array) where !array.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                writePretty(element, indent: indent + 2)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            for index in 0..<object.keys.count {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                writeString(object.keys[index])
                appendASCII(": ")
                writePretty(object.values[index], indent: indent + 2)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            write(value)
        }
    }

    private mutating func newline(_ indent: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private mutating func appendASCII(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: scan their contiguous UTF-8 and copy them in one go.
        let plain = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !Self.needsEscaping(UnsafeRawBufferPointer(utf8)) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(JSONWriter.hexDigits[Int(byte >> 4)])
                bytes.append(JSONWriter.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `text` holds a byte JSON must escape: a control character, `"` or `\\`.
    ///
    /// Eight bytes at a time (content is mostly long text): a word has a byte below 0x20 when
    /// `(w - 0x20…) & ~w & 0x80…` is not zero, and a byte equal to `c` when `w ^ c…` has a zero
    /// byte. Both tests are exact for "some byte matches"; bytes from 0x80 up never match.
    static func needsEscaping(_ text: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var offset = 0
        while offset + 8 <= text.count {
            let word = UInt64(littleEndian: text.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if (word &- ones &* 0x20) & ~word & highs != 0 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) {
                return true
            }
            offset += 8
        }
        while offset < text.count {
            let byte = text[offset]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            offset += 1
        }
        return false
    }

    /// ECMAScript `Number::toString` for finite doubles; `null` for NaN and infinities
    /// (what `JSON.stringify` writes for them).
    public static func javaScriptNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        if value.rounded() == value, abs(value) < 1e15, let exact = Int64(exactly: value) {
            return String(exact)
        }
        // Swift's description gives the shortest round-tripping digits, as JavaScript does; for a
        // fraction without an exponent the layout is JavaScript's too (integers print "….0").
        if value.rounded() != value {
            let plain = value.description
            if !plain.utf8.contains(UInt8(ascii: "e")) { return plain }
        }
        var text = value.magnitude.description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var digits: [Character] = []
        var pointPosition: Int?
        for character in text {
            if character == "." {
                pointPosition = digits.count
            } else {
                digits.append(character)
            }
        }
        var n = (pointPosition ?? digits.count) + exponent
        while let first = digits.first, first == "0", digits.count > 1 {
            digits.removeFirst()
            n -= 1
        }
        while let last = digits.last, last == "0", digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let digitString = String(digits)
        var result: String
        if k <= n && n <= 21 {
            result = digitString + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result = String(digits[0..<n]) + "." + String(digits[n...])
        } else if -6 < n && n <= 0 {
            result = "0." + String(repeating: "0", count: -n) + digitString
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            let mantissa = k == 1 ? digitString : String(digits[0]) + "." + String(digits[1...])
            result = mantissa + "e" + sign + String(abs(e))
        }
        return value < 0 ? "-" + result : result
    }
}
