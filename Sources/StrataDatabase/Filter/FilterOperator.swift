/// Strapi's attribute-level filter operators (`packages/core/utils/src/operators.ts`).
public enum FilterOperator: String, Sendable, Hashable, CaseIterable {
    case eq = "$eq"
    case eqi = "$eqi"
    case ne = "$ne"
    case nei = "$nei"
    case lt = "$lt"
    case lte = "$lte"
    case gt = "$gt"
    case gte = "$gte"
    case `in` = "$in"
    case notIn = "$notIn"
    case contains = "$contains"
    case notContains = "$notContains"
    case containsi = "$containsi"
    case notContainsi = "$notContainsi"
    case null = "$null"
    case notNull = "$notNull"
    case between = "$between"
    case startsWith = "$startsWith"
    case startsWithi = "$startsWithi"
    case endsWith = "$endsWith"
    case endsWithi = "$endsWithi"

    /// Operators whose value is an array as a whole (not an implicit OR of elements).
    public var takesArray: Bool {
        switch self {
        case .in, .notIn, .between: return true
        default: return false
        }
    }

    /// Operators whose values are converted to the attribute's type before binding; the LIKE
    /// family compares text as given.
    public var castsValue: Bool {
        switch self {
        case .eq, .ne, .lt, .lte, .gt, .gte, .in, .notIn, .between: return true
        default: return false
        }
    }
}

/// The logical operators of filters.
public enum LogicalOperator: String, Sendable {
    case and = "$and"
    case or = "$or"
    case not = "$not"
}
