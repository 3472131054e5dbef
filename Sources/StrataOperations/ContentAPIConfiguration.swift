public import StrataDatabase

/// The `api` configuration (`config/api.json`) as the REST layer uses it.
public struct ContentAPIConfiguration: Sendable {
    /// `rest.prefix`, `/api` by default.
    public var prefix: String
    /// `rest.defaultLimit`: page size when none is given (25).
    public var defaultLimit: Int
    /// `rest.maxLimit`: the largest page size; `nil` for no cap.
    public var maxLimit: Int?
    /// `rest.withCount`: whether lists report totals by default.
    public var withCount: Bool
    /// `responses.privateAttributes`: attributes hidden from every response.
    public var privateAttributes: [String]
    /// `rest.limits` (Strata's own): how large a query may be.
    public var limits: QueryLimits = .default

    public init(prefix: String = "/api", defaultLimit: Int = 25, maxLimit: Int? = 100, withCount: Bool = true, privateAttributes: [String] = []) {
        self.prefix = prefix
        self.defaultLimit = defaultLimit
        self.maxLimit = maxLimit
        self.withCount = withCount
        self.privateAttributes = privateAttributes
    }
}
