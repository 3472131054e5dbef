public import StrataCore

/// Bounds on what one query may ask for, checked by the parsers before any SQL is built, so a
/// crafted query string gets a 400 instead of exhausting the stack or a database limit (SQLite's
/// expression depth, ORDER BY terms, LIKE pattern length). Strapi has none of these; the
/// defaults are far above what real front ends send.
public struct QueryLimits: Sendable, Equatable {
    /// Segments of a dot path in `populate` or `sort` (`author.company.name`) and nesting levels
    /// of a filters object; as deep as `qs` lets brackets nest (20).
    public var pathDepth: Int
    /// Terms of one `sort`.
    public var sortTerms: Int
    /// Conditions of one `filters` object: each operator counts once, each value of a list once.
    public var filterConditions: Int
    /// Characters of `_q`.
    public var searchLength: Int

    public init(pathDepth: Int = 20, sortTerms: Int = 100, filterConditions: Int = 1000, searchLength: Int = 1000) {
        self.pathDepth = pathDepth
        self.sortTerms = sortTerms
        self.filterConditions = filterConditions
        self.searchLength = searchLength
    }

    public static let `default` = QueryLimits()
}

/// What a caller's query may reach: the related types it may read, and the size limits.
/// (Private attributes are the metadata's: ``StorageMetadata/isVisible(_:in:)``.)
public struct QueryRules: Sendable {
    /// Whether a related model may be populated, filtered or sorted on (permissions); `nil` allows all.
    public var canAccess: (@Sendable (UID) -> Bool)?
    public var limits: QueryLimits

    public init(canAccess: (@Sendable (UID) -> Bool)? = nil, limits: QueryLimits = .default) {
        self.canAccess = canAccess
        self.limits = limits
    }

    /// Whether a query may read a related content type.
    public func mayRead(_ uid: UID) -> Bool {
        canAccess?(uid) ?? true
    }

    /// A 400 for a query past one of ``limits``.
    static func tooLarge(_ param: String, _ message: String, limit: Int) -> ValidationError {
        ValidationError(message, details: .object(["source": "query", "param": .string(param), "limit": .int(Int64(limit))]))
    }

    /// Refuses a dot path longer than ``QueryLimits/pathDepth`` before anything walks it.
    func checkPath(_ count: Int, param: String) throws(ValidationError) {
        guard count <= limits.pathDepth else {
            throw Self.tooLarge(param, "Invalid \(param) parameter. A path cannot have more than \(limits.pathDepth) segments", limit: limits.pathDepth)
        }
    }
}
