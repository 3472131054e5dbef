public import StrataCore
public import StrataSQL

/// Converts between JSON values and database values for each column value type — Strapi's
/// `fields/*` `toDB`/`fromDB` — so that storage and output match Strapi's.
public enum ValueCodec {
    /// A value that cannot be converted to the column's type.
    public struct ConversionError: Error, Sendable {
        public let expected: String
        public let value: JSONValue
    }

    // MARK: Writing

    public static func encode(_ value: JSONValue, as type: ValueType) throws(ConversionError) -> DatabaseValue {
        if case .null = value { return .null }
        switch type {
        case .id, .integer:
            guard let number = integer(value) else { throw ConversionError(expected: "integer", value: value) }
            return .int(number)
        case .bigInteger:
            guard let number = bigInteger(value) else { throw ConversionError(expected: "biginteger", value: value) }
            return .int(number)
        case .float, .decimal:
            guard let number = number(value) else { throw ConversionError(expected: "number", value: value) }
            return .double(number)
        case .boolean:
            guard let flag = boolean(value) else { throw ConversionError(expected: "boolean", value: value) }
            return .bool(flag)
        case .string, .text:
            switch value {
            case .string(let text): return .text(text)
            case .int, .double, .bool: return .text(text(of: value))
            default: throw ConversionError(expected: "string", value: value)
            }
        case .date:
            guard let text = value.stringValue, let date = CalendarValue.date(from: text) else {
                throw ConversionError(expected: "date", value: value)
            }
            return .text(date)
        case .time:
            guard let text = value.stringValue, let time = CalendarValue.time(from: text) else {
                throw ConversionError(expected: "time", value: value)
            }
            return .text(time)
        case .datetime:
            guard let timestamp = timestamp(value) else { throw ConversionError(expected: "datetime", value: value) }
            return .timestamp(timestamp)
        case .json:
            return .json(value)
        }
    }

    /// JavaScript's `String(value)` for scalars.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return JSONWriter.javaScriptNumber(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return JSONWriter.string(value)
        }
    }

    public static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .double(let number): return Int64(exactly: number)
        case .string(let text):
            let trimmed = text.trimmingWhitespace()
            if let number = Int64(trimmed) { return number }
            if let double = Double(trimmed), double.isFinite { return Int64(exactly: double) }
            return nil
        default: return nil
        }
    }

    /// Strapi accepts bigints as integer strings (`^[+-]?\d+$`) or whole numbers.
    public static func bigInteger(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .double(let number): return Int64(exactly: number)
        case .string(let text):
            let body = text.hasPrefix("+") ? String(text.dropFirst()) : text
            return Int64(body)
        default: return nil
        }
    }

    public static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .string(let text):
            let trimmed = text.trimmingWhitespace()
            guard !trimmed.isEmpty, let number = Double(trimmed), number.isFinite else { return nil }
            return number
        default: return nil
        }
    }

    /// Strapi's boolean parser: `true/'true'/'t'/'1'/1` and `false/'false'/'f'/'0'/0`.
    public static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number == 1 ? true : number == 0 ? false : nil
        case .double(let number): return number == 1 ? true : number == 0 ? false : nil
        case .string(let text):
            switch text.lowercased() {
            case "true", "t", "1": return true
            case "false", "f", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// ISO 8601 strings or milliseconds since the epoch.
    public static func timestamp(_ value: JSONValue) -> Timestamp? {
        switch value {
        // Numbers outside what JavaScript's `Date` holds are invalid dates, as in Strapi (and
        // would overflow the conversions below).
        case .int(let number): return Timestamp.javaScriptRange.contains(number) ? Timestamp(millisecondsSince1970: number) : nil
        case .double(let number): return Timestamp(javaScriptMilliseconds: number)
        case .string(let text):
            if let parsed = Timestamp(iso8601: text) { return parsed }
            if let number = Int64(text), Timestamp.javaScriptRange.contains(number) { return Timestamp(millisecondsSince1970: number) }
            return nil
        default: return nil
        }
    }

    // MARK: Reading

    /// Renders a stored value as Strapi outputs it.
    public static func decode(_ value: DatabaseValue, as type: ValueType) -> JSONValue {
        if case .null = value { return .null }
        switch type {
        case .id, .integer:
            if let number = value.int64 { return .int(number) }
            return value.double.map { .double($0) } ?? .null
        case .bigInteger:
            // Strapi returns bigints as strings.
            if let number = value.int64 { return .string(String(number)) }
            return value.text.map { .string($0) } ?? .null
        case .float, .decimal:
            if case .int(let number) = value { return .int(number) }
            return value.double.map { .double($0) } ?? .null
        case .boolean:
            switch value {
            case .bool(let flag): return .bool(flag)
            case .int(let number): return number == 1 ? .bool(true) : number == 0 ? .bool(false) : .null
            case .text(let text): return boolean(.string(text)).map { .bool($0) } ?? .null
            default: return .null
            }
        case .string, .text, .date, .time:
            return value.text.map { .string($0) } ?? .null
        case .datetime:
            switch value {
            case .timestamp(let timestamp): return .string(timestamp.iso8601)
            case .int(let milliseconds): return .string(Timestamp(millisecondsSince1970: milliseconds).iso8601)
            case .double(let milliseconds): return Timestamp(javaScriptMilliseconds: milliseconds).map { .string($0.iso8601) } ?? .null
            case .text(let text):
                if let parsed = Timestamp(iso8601: text) { return .string(parsed.iso8601) }
                return .string(text)
            default: return .null
            }
        case .json:
            switch value {
            case .json(let json): return json
            case .text(let text):
                // Strapi parses stored JSON, twice when it was double-encoded.
                guard var parsed = try? JSONParser.parse(text) else { return .string(text) }
                if case .string(let inner) = parsed, let again = try? JSONParser.parse(inner) { parsed = again }
                return parsed
            case .blob(let bytes): return (try? JSONParser.parse(bytes)) ?? .null
            default: return .null
            }
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
