/// lodash-compatible word splitting and snake_case, which Strapi uses to derive column names
/// from attribute names (`isChecked` → `is_checked`, `field1` → `field_1`, `HTMLParser` →
/// `html_parser`). Column names are part of the storage layout, so this must match lodash.
extension String {
    public var snakeCased: String {
        LodashWords.words(self).map { $0.lowercased() }.joined(separator: "_")
    }
}

/// A re-implementation of lodash's `words` for the characters schema names use.
public enum LodashWords {
    private enum Kind { case upper, lower, digit, misc, breakChar }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let value = scalar.value
        switch value {
        case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE: return .upper
        case 0x61...0x7A, 0xDF...0xF6, 0xF8...0xFF: return .lower
        case 0x30...0x39: return .digit
        case 0x00...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0xBF, 0xD7, 0xF7: return .breakChar
        case 0x2000...0x206F, 0x3000: return .breakChar
        default:
            if scalar.properties.isWhitespace { return .breakChar }
            if scalar.properties.isUppercase { return .upper }
            if scalar.properties.isLowercase { return .lower }
            return scalar.properties.isAlphabetic ? .misc : .breakChar
        }
    }

    public static func words(_ string: String) -> [String] {
        let scalars = Array(string.unicodeScalars)
        if !hasUnicodeWord(scalars) {
            // lodash's asciiWords: runs of anything but ASCII punctuation/control/space.
            var result: [String] = []
            var current = String.UnicodeScalarView()
            for scalar in scalars {
                let v = scalar.value
                let isSeparator = v <= 0x2F || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7F).contains(v)
                if isSeparator {
                    if !current.isEmpty { result.append(String(current)); current = .init() }
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { result.append(String(current)) }
            return result
        }
        let kinds = scalars.map(kind)
        var result: [String] = []
        var index = 0
        while index < scalars.count {
            if let end = match(kinds, scalars, at: index) {
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[index..<end])
                result.append(String(word))
                index = end
            } else {
                index += 1
            }
        }
        return result
    }

    private static func hasUnicodeWord(_ s: [Unicode.Scalar]) -> Bool {
        func isLower(_ c: Unicode.Scalar) -> Bool { (0x61...0x7A).contains(c.value) }
        func isUpper(_ c: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(c.value) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { (0x30...0x39).contains(c.value) }
        for i in s.indices {
            let c = s[i]
            if !(isLower(c) || isUpper(c) || isDigit(c) || c == " ") { return true }
            if i + 1 < s.count {
                let d = s[i + 1]
                if isLower(c) && isUpper(d) { return true }
                if isDigit(c) && (isLower(d) || isUpper(d)) { return true }
                if (isLower(c) || isUpper(c)) && isDigit(d) { return true }
                if i + 2 < s.count, isUpper(c), isUpper(d), isLower(s[i + 2]) { return true }
            }
        }
        return false
    }

    /// Tries lodash's unicode word alternatives in order at `start`; returns the match end.
    private static func match(_ k: [Kind], _ s: [Unicode.Scalar], at start: Int) -> Int? {
        let n = k.count
        func run(from i: Int, _ accept: (Kind) -> Bool) -> Int {
            var j = i
            while j < n, accept(k[j]) { j += 1 }
            return j
        }
        // 1. Upper? lower+ followed by a break, an upper letter or the end.
        do {
            let j = k[start] == .upper ? start + 1 : start
            let end = run(from: j) { $0 == .lower }
            if end > j, end == n || k[end] == .breakChar || k[end] == .upper { return end }
        }
        // 2. (upper|misc)+ followed by a break, upper+(lower|misc), or the end (backtracking).
        do {
            let maxEnd = run(from: start) { $0 == .upper || $0 == .misc }
            var end = maxEnd
            while end > start {
                if end == n || k[end] == .breakChar { return end }
                if k[end] == .upper, end + 1 < n, k[end + 1] == .lower || k[end + 1] == .misc { return end }
                end -= 1
            }
        }
        // 3. Upper? (lower|misc)+
        do {
            if k[start] == .upper {
                let end = run(from: start + 1) { $0 == .lower || $0 == .misc }
                if end > start + 1 { return end }
            }
            let end = run(from: start) { $0 == .lower || $0 == .misc }
            if end > start { return end }
        }
        // 4. Upper+
        do {
            let end = run(from: start) { $0 == .upper }
            if end > start { return end }
        }
        // 5./6. Ordinals (1st, 2ND, 4th...), then 7. digit runs.
        if k[start] == .digit {
            let digitsEnd = run(from: start) { $0 == .digit }
            for suffixStart in stride(from: digitsEnd - 1, through: start, by: -1) {
                if let end = ordinalEnd(s, k, digit: suffixStart) { return end }
            }
            return digitsEnd
        }
        return nil
    }

    private static func ordinalEnd(_ s: [Unicode.Scalar], _ k: [Kind], digit i: Int) -> Int? {
        guard i + 2 < s.count else { return nil }
        let suffix = String(String.UnicodeScalarView(s[(i + 1)...(i + 2)]))
        let digit = s[i]
        let expected: String
        switch digit {
        case "1": expected = "st"
        case "2": expected = "nd"
        case "3": expected = "rd"
        default: expected = "th"
        }
        let end = i + 3
        let followedBy = end < k.count ? k[end] : nil
        func isWordChar(_ kind: Kind?) -> Bool { kind == .upper || kind == .lower || kind == .digit || kind == .misc }
        if suffix == expected {
            if followedBy == nil || !isWordChar(followedBy) || followedBy == .upper || (end < s.count && s[end] == "_") {
                return end
            }
        }
        if suffix == expected.uppercased() {
            if followedBy == nil || !isWordChar(followedBy) || followedBy == .lower || (end < s.count && s[end] == "_") {
                return end
            }
        }
        return nil
    }
}
