public import StrataCore

/// A parsed `filters` tree over one model: what REST's `filters[...]` and the Document Service's
/// `filters` option compile to. Every field name in it has been resolved against the schema.
public indirect enum Filter: Sendable, Hashable {
    case and([Filter])
    case or([Filter])
    case not(Filter)
    /// Conditions on one field of the model (`id`, `documentId` or an attribute).
    case field(String, FieldFilter)

    /// A filter that matches every row.
    public static let all = Filter.and([])

    /// Convenience: `field = value`.
    public static func equals(_ field: String, _ value: JSONValue) -> Filter {
        .field(field, .operator(.eq, value))
    }

    /// `self AND other`, flattening nested ands.
    public func and(_ other: Filter) -> Filter {
        // Every read ands its scope (status, locale) with the request's filters, which are most
        // often none: that case, and the array growth, cost a few allocations per request.
        if case .and(let inner) = other, inner.isEmpty, case .and = self { return self }
        if case .and(let inner) = self, inner.isEmpty, case .and = other { return other }
        var parts: [Filter] = []
        parts.reserveCapacity(self.conjunctionCount + other.conjunctionCount)
        func append(_ filter: Filter) {
            if case .and(let inner) = filter { parts.append(contentsOf: inner) } else { parts.append(filter) }
        }
        append(self)
        append(other)
        return .and(parts)
    }

    /// How many parts `and(_:)` takes from this filter.
    private var conjunctionCount: Int {
        if case .and(let inner) = self { return inner.count }
        return 1
    }
}

/// Conditions on one field.
public indirect enum FieldFilter: Sendable, Hashable {
    /// An operator and its raw value (cast to the field's type when compiled).
    case `operator`(FilterOperator, JSONValue)
    case and([FieldFilter])
    case or([FieldFilter])
    case not(FieldFilter)
    /// For relations, components and media: a filter on the target model.
    case nested(Filter)
}

extension Filter {
    /// The conditions this filter holds (each operator once, each value of a list once), counted
    /// until `limit` is passed: what ``QueryLimits/filterConditions`` bounds.
    func conditionCount(upTo limit: Int) -> Int {
        var count = 0
        switch self {
        case .and(let parts), .or(let parts):
            for part in parts where count <= limit { count += part.conditionCount(upTo: limit - count) }
        case .not(let inner):
            count = inner.conditionCount(upTo: limit)
        case .field(_, let condition):
            count = condition.conditionCount(upTo: limit)
        }
        return count
    }
}

extension FieldFilter {
    func conditionCount(upTo limit: Int) -> Int {
        var count = 0
        switch self {
        case .operator(_, let value):
            switch value {
            case .array(let elements): count = max(1, elements.count)
            case .object(let object): count = max(1, object.count)
            default: count = 1
            }
        case .and(let parts), .or(let parts):
            for part in parts where count <= limit { count += part.conditionCount(upTo: limit - count) }
        case .not(let inner):
            count = inner.conditionCount(upTo: limit)
        case .nested(let filter):
            count = filter.conditionCount(upTo: limit)
        }
        return count
    }
}
