public import StrataCore

/// Decodes a URL query string the way the `qs` library does with Strapi's options
/// (`strictNullHandling: true, arrayLimit: 100, depth: 20`, `parameterLimit` 1000):
/// bracket nesting, indexed and pushed arrays, repeated keys combined into arrays, and
/// percent-decoded keys (Hummingbird only decodes values).
public enum QueryString {
    public static let arrayLimit = 100
    public static let depth = 20
    public static let parameterLimit = 1000

    /// Parses `query` (without the leading `?`) into an object whose leaves are strings, or
    /// `null` for keys without `=`.
    public static func parse(_ query: Substring) -> JSONObject {
        var root = Node.object([])
        var count = 0
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            if count > parameterLimit { break }
            let key: String
            let value: JSONValue
            if let equals = part.firstIndex(of: "=") {
                key = decode(part[..<equals])
                value = .string(decode(part[part.index(after: equals)...]))
            } else {
                key = decode(part)
                value = .null
            }
            guard !key.isEmpty else { continue }
            let segments = segments(of: key)
            root = merge(root, build(segments[...], value: value))
        }
        guard case .object(let object) = root.json else { return [:] }
        return object
    }

    public static func parse(_ query: String?) -> JSONObject {
        guard let query else { return [:] }
        return parse(Substring(query))
    }

    /// Percent-decoding with `+` as space; invalid escapes are kept literally (as qs does).
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]), let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `a[b][]` → `["a", "b", ""]`. Unbalanced brackets stay literal; segments past `depth`
    /// are kept as one literal segment, like qs.
    static func segments(of key: String) -> [String] {
        guard let open = key.firstIndex(of: "[") else { return [key] }
        // A key starting with "[" has no parent segment; qs uses the first bracket as the root.
        var result = open == key.startIndex ? [] : [String(key[..<open])]
        var index = open
        var depthUsed = 0
        while index < key.endIndex, key[index] == "[" {
            guard let close = key[index...].firstIndex(of: "]") else { break }
            if depthUsed == depth {
                result.append(String(key[index...]))
                return result
            }
            result.append(String(key[key.index(after: index)..<close]))
            depthUsed += 1
            index = key.index(after: close)
        }
        if index < key.endIndex {
            result.append(String(key[index...]))
        }
        return result.isEmpty ? [key] : result
    }

    /// The value at the end of a key path, as qs's `parseObject` builds it.
    static func build(_ segments: ArraySlice<String>, value: JSONValue) -> Node {
        guard let first = segments.first else { return .value(value) }
        let rest = segments.dropFirst()
        let child = build(rest, value: value)
        if segments.startIndex == 0 {
            // The root segment is always an object key.
            return .object([(first, child)])
        }
        if first.isEmpty {
            return .array([0: child])
        }
        if let index = Int(first), String(index) == first, index >= 0, index <= arrayLimit {
            return .array([index: child])
        }
        return .object([(first, child)])
    }

    /// qs's `utils.merge`.
    static func merge(_ target: Node, _ source: Node) -> Node {
        switch (target, source) {
        case (.value(let t), .value(let s)):
            return .array([0: .value(t), 1: .value(s)])
        case (.array(var items), .value):
            items[(items.keys.max() ?? -1) + 1] = source
            return .array(items)
        case (.object, .value):
            return target
        case (.value, .array(let items)):
            var merged: [Int: Node] = [0: target]
            for key in items.keys.sorted() { merged[merged.count] = items[key] }
            return .array(merged)
        case (.value, .object):
            return .array([0: target, 1: source])
        case (.array(var targetItems), .array(let sourceItems)):
            for index in sourceItems.keys.sorted() {
                let item = sourceItems[index]!
                if let existing = targetItems[index] {
                    if existing.isContainer && item.isContainer {
                        targetItems[index] = merge(existing, item)
                    } else {
                        targetItems[(targetItems.keys.max() ?? -1) + 1] = item
                    }
                } else {
                    targetItems[index] = item
                }
            }
            return .array(targetItems)
        case (.array(let items), .object):
            return merge(.object(items.keys.sorted().map { (String($0), items[$0]!) }), source)
        case (.object(var pairs), .object(let sourcePairs)):
            for (key, value) in sourcePairs {
                if let position = pairs.firstIndex(where: { $0.0 == key }) {
                    pairs[position].1 = merge(pairs[position].1, value)
                } else {
                    pairs.append((key, value))
                }
            }
            return .object(pairs)
        case (.object, .array(let items)):
            return merge(target, .object(items.keys.sorted().map { (String($0), items[$0]!) }))
        }
    }

    indirect enum Node {
        case value(JSONValue)
        /// Sparse until converted: qs compacts holes away.
        case array([Int: Node])
        case object([(String, Node)])

        var isContainer: Bool {
            if case .value = self { return false }
            return true
        }

        var json: JSONValue {
            switch self {
            case .value(let value): return value
            case .array(let items): return .array(items.keys.sorted().map { items[$0]!.json })
            case .object(let pairs): return .object(JSONObject(pairs.map { ($0.0, $0.1.json) }))
            }
        }
    }
}
