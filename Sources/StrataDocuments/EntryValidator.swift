import Foundation
import StrataCore
public import StrataSchema

/// Checks and normalises one scalar attribute value the way Strapi's yup-based entity validator
/// does (types, lengths, ranges, formats, enumerations), with yup's messages. ``DataValidator``
/// applies it to every attribute of a payload.
public struct EntryValidator: Sendable {
    public enum Mode: Sendable {
        case create
        case update
    }

    public let attributes: [Attribute]
    public let mode: Mode
    /// Drafts skip `required`, `minLength`, `min`, `regex`, format and `unique` checks, as in Strapi.
    public let isDraft: Bool

    public init(attributes: [Attribute], mode: Mode, isDraft: Bool) {
        self.attributes = attributes
        self.mode = mode
        self.isDraft = isDraft
    }

    func requiredFailure(_ attribute: Attribute, provided: JSONValue?) -> String? {
        guard attribute.required, !isDraft else { return nil }
        switch mode {
        case .create:
            if provided == nil || provided == .null, attribute.defaultValue == nil || attribute.defaultValue == .null {
                return "\(attribute.name) must be defined."
            }
        case .update:
            if provided == .null { return "\(attribute.name) cannot be null." }
        }
        return nil
    }

    enum Outcome {
        case success(JSONValue)
        case failure(String)
    }

    static func typeError(_ name: String, _ type: String, _ value: JSONValue) -> Outcome {
        .failure("\(name) must be a `\(type)` type, but the final value was: `\(JSONWriter.string(value))`.")
    }

    func check(_ attribute: Attribute, _ value: JSONValue) -> Outcome {
        let name = attribute.name
        switch attribute.kind {
        case .string, .text, .richtext, .email, .password, .uid, .enumeration:
            let text: String
            switch value {
            case .string(let string): text = string
            case .int, .double, .bool: text = ValueCodecText.of(value)
            default: return Self.typeError(name, "string", value)
            }
            return checkString(attribute, text)
        case .integer:
            guard let number = ValueCodecText.number(value) else { return Self.typeError(name, "number", value) }
            guard number.rounded() == number, Int64(exactly: number) != nil else { return .failure("\(name) must be an integer") }
            if let failure = checkRange(attribute, number) { return .failure(failure) }
            return .success(.int(Int64(number)))
        case .float, .decimal:
            guard let number = ValueCodecText.number(value) else { return Self.typeError(name, "number", value) }
            if let failure = checkRange(attribute, number) { return .failure(failure) }
            return .success(.double(number))
        case .biginteger:
            let text: String
            switch value {
            case .string(let string): text = string
            case .int(let number): text = String(number)
            case .double(let number) where number.rounded() == number: text = JSONWriter.javaScriptNumber(number)
            default: return Self.typeError(name, "string", value)
            }
            let body = text.hasPrefix("+") ? String(text.dropFirst()) : text
            guard let number = Int64(body) else { return .failure("\(name) must be a valid biginteger") }
            if let failure = checkRange(attribute, Double(number)) { return .failure(failure) }
            return .success(.string(String(number)))
        case .boolean:
            switch value {
            case .bool: return .success(value)
            case .string(let text):
                switch text.lowercased() {
                case "true", "t", "1": return .success(.bool(true))
                case "false", "f", "0": return .success(.bool(false))
                default: return Self.typeError(name, "boolean", value)
                }
            case .int(let number) where number == 0 || number == 1: return .success(.bool(number == 1))
            default: return Self.typeError(name, "boolean", value)
            }
        case .date:
            guard let text = value.stringValue, let date = CalendarValue.date(from: text) else {
                return Self.typeError(name, "date", value)
            }
            return .success(.string(date))
        case .time:
            guard let text = value.stringValue, let time = CalendarValue.time(from: text) else {
                return .failure("\(name) must be a valid time (HH:mm:ss.SSS)")
            }
            return .success(.string(time))
        case .datetime, .timestamp:
            switch value {
            case .string(let text):
                guard let timestamp = Timestamp(iso8601: text) else { return Self.typeError(name, "date", value) }
                return .success(.string(timestamp.iso8601))
            case .int(let milliseconds) where Timestamp.javaScriptRange.contains(milliseconds):
                return .success(.string(Timestamp(millisecondsSince1970: milliseconds).iso8601))
            default:
                return Self.typeError(name, "date", value)
            }
        case .json:
            return .success(value)
        case .blocks:
            guard case .array = value else { return Self.typeError(name, "array", value) }
            return .success(value)
        case .media, .relation, .component, .dynamiczone:
            return .success(value)
        }
    }

    func checkString(_ attribute: Attribute, _ text: String) -> Outcome {
        let name = attribute.name
        let length = text.count
        if let max = attribute.maxLength, length > max { return .failure("\(name) must be at most \(max) characters") }
        if case .enumeration(let allowed) = attribute.kind, !allowed.contains(text) {
            return .failure("\(name) must be one of the following values: \(allowed.joined(separator: ", "))")
        }
        if !isDraft {
            // An optional attribute may be left empty; minLength applies to what is written.
            if let min = attribute.minLength, length < min, length > 0 || attribute.required {
                return .failure("\(name) must be at least \(min) characters")
            }
            if case .email = attribute.kind, !text.isEmpty, !Self.isEmail(text) { return .failure("\(name) must be a valid email") }
            if case .uid = attribute.kind, !Self.isUIDText(text) {
                return .failure("\(name) must match the following: \"/^[A-Za-z0-9-_.~]*$/\"")
            }
            if let pattern = attribute.regex, !text.isEmpty, text.range(of: pattern, options: .regularExpression) == nil {
                return .failure("\(name) must match the following: \"/\(pattern)/\"")
            }
        }
        return .success(.string(text))
    }

    func checkRange(_ attribute: Attribute, _ number: Double) -> String? {
        if let max = attribute.max, number > max {
            return "\(attribute.name) must be less than or equal to \(JSONWriter.javaScriptNumber(max))"
        }
        if !isDraft, let min = attribute.min, number < min {
            return "\(attribute.name) must be greater than or equal to \(JSONWriter.javaScriptNumber(min))"
        }
        return nil
    }

    static func isUIDText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.~".unicodeScalars.contains(scalar)
        }
    }

    /// yup's email check, in spirit: local@domain.tld without spaces.
    static func isEmail(_ text: String) -> Bool {
        let pattern = #"^[^\s@]+@[^\s@]+\.[^\s@]+$"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }
}

/// JavaScript-like coercions used by validation.
enum ValueCodecText {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return JSONWriter.javaScriptNumber(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return JSONWriter.string(value)
        }
    }

    /// yup's number cast: numbers, and strings that are entirely numeric.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number.isFinite ? number : nil
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, let number = Double(trimmed), number.isFinite else { return nil }
            return number
        default: return nil
        }
    }
}
