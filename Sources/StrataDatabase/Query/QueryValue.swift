public import StrataCore

/// Conversions of query-string values (always strings after `qs`) shared by the parsers.
public enum QueryValue {
    /// `true`/`t`/`1` and `false`/`f`/`0`, as Strapi's boolean query parser.
    public static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(let number) where number == 0 || number == 1: return number == 1
        case .string(let text):
            switch text {
            case "true", "t", "1": return true
            case "false", "f", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// An integer parameter; anything else is a `PaginationError` naming the parameter.
    public static func integer(_ value: JSONValue, name: String) throws(PaginationError) -> Int {
        switch value {
        case .int(let number): return Int(number)
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text):
            if let number = Int(text.trimmingWhitespace()) { return number }
        default: break
        }
        throw PaginationError("Invalid '\(name)' parameter. Expected an integer, received: \(JSONWriter.string(value))")
    }
}
