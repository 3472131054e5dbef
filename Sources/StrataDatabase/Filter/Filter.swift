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
        var parts: [Filter] = []
        for filter in [self, other] {
            if case .and(let inner) = filter { parts.append(contentsOf: inner) } else { parts.append(filter) }
        }
        return .and(parts)
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
