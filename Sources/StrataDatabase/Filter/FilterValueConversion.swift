public import StrataCore
public import StrataSQL

/// How one value of a filter becomes a bind: the only place filter values are read, whether the
/// statement was just compiled or taken from the statement cache.
///
/// The compiler never looks at a value beyond its shape (see ``Filter/parameterized(into:)``);
/// it records one conversion per value it binds, in order, and these convert the request's values.
public enum FilterValueConversion: Sendable, Hashable {
    /// Cast to the column's type (`$eq`, `$lt`, `$in`…).
    case cast(ValueType, field: String)
    /// The value as text (`$eqi`, `$contains`…).
    case text(FilterOperator, field: String)
    /// An escaped `LIKE` pattern around the text (`$containsi`, `$startsWithi`…).
    case likePattern(FilterOperator, field: String)

    public func apply(_ value: JSONValue) throws(ValidationError) -> DatabaseValue {
        switch self {
        case .cast(let type, let field):
            do {
                return try ValueCodec.encode(value, as: type)
            } catch {
                throw ValidationError("Invalid value \(JSONWriter.string(value)) for the filter on \(field): expected a \(error.expected)",
                                      details: .object(["key": .string(field), "source": "query", "param": "filters"]))
            }
        case .text(let op, let field):
            return .text(try Self.text(value, op, field))
        case .likePattern(let op, let field):
            let needle = FilterCompiler.escapeLike(try Self.text(value, op, field))
            switch op {
            case .startsWithi: return .text(needle + "%")
            case .endsWithi: return .text("%" + needle)
            default: return .text("%" + needle + "%")
            }
        }
    }

    static func text(_ value: JSONValue, _ op: FilterOperator, _ field: String) throws(ValidationError) -> String {
        switch value {
        case .string(let text): return text
        case .int, .double, .bool: return ValueCodec.text(of: value)
        default: throw ValidationError("Invalid value for \(op.rawValue) on \(field): expected a string")
        }
    }
}

extension Array where Element == FilterValueConversion {
    /// The binds for a filter's values (``Filter/parameterized(into:)``), one per conversion.
    func apply(_ values: [JSONValue]) throws -> [DatabaseValue] {
        guard values.count == count else {
            // The parameterizer and the compiler walk filters alike; a mismatch is a bug here.
            throw DatabaseError(.other, "a filter has \(values.count) values for \(count) binds")
        }
        var binds: [DatabaseValue] = []
        binds.reserveCapacity(count)
        for index in indices {
            binds.append(try self[index].apply(values[index]))
        }
        return binds
    }
}
