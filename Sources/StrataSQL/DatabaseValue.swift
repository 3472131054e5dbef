public import StrataCore

/// A value bound to a statement or read back from a row.
///
/// Drivers map the semantic cases to their storage: SQLite stores `.bool` as `0/1`,
/// `.timestamp` as epoch milliseconds (as Strapi's knex driver does) and `.json` as text;
/// Postgres binds them natively.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
    case bool(Bool)
    case timestamp(Timestamp)
    case json(JSONValue)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var int64: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value): return Int64(exactly: value)
        case .bool(let value): return value ? 1 : 0
        case .text(let value): return Int64(value)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .text(let value): return Double(value)
        default: return nil
        }
    }

    public var text: String? {
        switch self {
        case .text(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return JSONWriter.javaScriptNumber(value)
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }
}

// SQLKit's bind API wants `Encodable`; Strata's drivers read the enum directly, so this encoding
// only matters if a value ever reaches a generic SQLKit database.
extension DatabaseValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .blob(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .timestamp(let value): try container.encode(value.iso8601)
        case .json(let value): try container.encode(JSONWriter.string(value))
        }
    }
}
