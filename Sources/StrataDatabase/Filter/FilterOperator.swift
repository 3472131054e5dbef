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
}
