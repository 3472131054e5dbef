/// Failures from the database layer, translated from driver errors so upper layers can react
/// (a unique violation becomes a `ValidationError`, for instance).
///
/// An extensible struct rather than an enum, so new kinds do not break exhaustive switches.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case notNull
        case unique
        case foreignKey
        case tooManyBinds
        case connection
        case busy
        /// A value the column cannot hold (PostgreSQL's data exceptions: out of range for its
        /// type, not a number, a NUL byte in text). Values come from requests: a 400.
        case invalidValue
        case other
    }

    public var kind: Kind
    public var message: String
    public var table: String?
    public var columns: [String]

    public init(_ kind: Kind, _ message: String, table: String? = nil, columns: [String] = []) {
        self.kind = kind
        self.message = message
        self.table = table
        self.columns = columns
    }

    public var description: String { message }
}
