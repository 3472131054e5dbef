public import StrataCore

extension Filter {
    /// This filter with every value the compiler binds taken out (appended to `values`, in the
    /// order the compiler binds them) and replaced by a placeholder: the shape of the filter.
    ///
    /// Two requests whose filters differ only in such values have the same shape, and so the
    /// same SQL: the statement cache is keyed by it. What changes the SQL itself stays in the
    /// shape: a `null` compared with `$eq`/`$ne`/`$eqi`/`$nei` (`IS NULL`), the length of a
    /// `$in`/`$notIn`/`$between` list, and the truth of a `$null`/`$notNull` value.
    public func parameterized(into values: inout [JSONValue]) -> Filter {
        switch self {
        case .and(let parts):
            return .and(parts.map { $0.parameterized(into: &values) })
        case .or(let parts):
            return .or(parts.map { $0.parameterized(into: &values) })
        case .not(let inner):
            return .not(inner.parameterized(into: &values))
        case .field(let name, let condition):
            return .field(name, condition.parameterized(into: &values))
        }
    }
}

extension FieldFilter {
    func parameterized(into values: inout [JSONValue]) -> FieldFilter {
        switch self {
        case .and(let parts):
            return .and(parts.map { $0.parameterized(into: &values) })
        case .or(let parts):
            return .or(parts.map { $0.parameterized(into: &values) })
        case .not(let inner):
            return .not(inner.parameterized(into: &values))
        case .nested(let filter):
            return .nested(filter.parameterized(into: &values))
        case .operator(let op, let value):
            return .operator(op, op.parameterized(value, into: &values))
        }
    }
}

extension FilterOperator {
    /// What stands for a bound value in a filter's shape. The compiler only checks that it is
    /// not `null`.
    static let placeholder = JSONValue.string("?")

    /// The shape of this operator's value; the values it binds go to `values`. Mirrors
    /// ``FilterCompiler``'s reading of values.
    func parameterized(_ value: JSONValue, into values: inout [JSONValue]) -> JSONValue {
        switch self {
        case .null, .notNull:
            return .bool(FilterCompiler.forcedBoolean(value))
        case .eq, .ne, .eqi, .nei:
            if value.isNull { return .null }
            values.append(value)
            return Self.placeholder
        case .in, .notIn, .between:
            let elements = FilterCompiler.elements(of: value)
            values.append(contentsOf: elements)
            return .array(Array(repeating: Self.placeholder, count: elements.count))
        case .lt, .lte, .gt, .gte, .contains, .notContains, .containsi, .notContainsi,
             .startsWith, .startsWithi, .endsWith, .endsWithi:
            values.append(value)
            return Self.placeholder
        }
    }
}
