import StrataCore

/// Strapi 5's database identifier rules: names joined from snake_case tokens, fixed suffixes in
/// short form (`lnk`, `mph`, `ord`, `idx`, `fk`…), and names longer than 55 characters shortened
/// by trimming the user-derived tokens and appending 5 hex chars of their SHAKE256 hash.
///
/// These names are the storage layout; any change here would orphan existing data.
public struct Identifiers: Sendable {
    public static let maxLength = 55
    static let hashLength = 5
    static let minTokenLength = 3

    /// A piece of a name; user-derived parts are compressible, fixed suffixes are not.
    public struct Token: Sendable {
        public var name: String
        public var compressible: Bool

        public init(_ name: String, compressible: Bool = true) {
            self.name = name
            self.compressible = compressible
        }
    }

    public let maxLength: Int

    public init(maxLength: Int = Identifiers.maxLength) {
        self.maxLength = maxLength
    }

    /// Joins `names` (compressible) with an optional fixed prefix and suffix.
    public func name(_ names: [String], prefix: String? = nil, suffix: String? = nil) throws(IdentifierError) -> String {
        var tokens = names.map { Token($0) }
        if let suffix { tokens.append(Token(suffix, compressible: false)) }
        if let prefix { tokens.insert(Token(prefix, compressible: false), at: 0) }
        return try name(tokens: tokens)
    }

    public func name(_ single: String, prefix: String? = nil, suffix: String? = nil) throws(IdentifierError) -> String {
        try name([single], prefix: prefix, suffix: suffix)
    }

    public func name(tokens: [Token]) throws(IdentifierError) -> String {
        // Names are not re-checked against lodash's snake_case: Strapi's own `i18n_locale`
        // would fail that check (lodash splits "i18n" into "i_18_n").
        let full = tokens.map(\.name).joined(separator: "_")
        if maxLength == 0 || full.count <= maxLength { return full }

        let compressible = tokens.indices.filter { tokens[$0].compressible }
        let incompressibleLength = tokens.filter { !$0.compressible }.reduce(0) { $0 + $1.name.count }
        let separators = tokens.count - 1
        guard incompressibleLength + separators <= maxLength, !compressible.isEmpty else {
            throw IdentifierError("incompressible string length greater than maxLength")
        }
        let available = maxLength - incompressibleLength - separators
        let perToken = available / compressible.count
        var surplus = available % compressible.count

        let minimumHashed = Self.hashLength + Self.minTokenLength
        let neededLength = tokens.reduce(separators) { total, token in
            guard token.compressible else { return total + token.name.count }
            return total + (token.name.count < perToken ? token.name.count : minimumHashed)
        }
        guard neededLength <= maxLength else {
            throw IdentifierError("Maximum length is too small to accommodate all tokens")
        }

        var allocated = [Int: Int]()
        var deficits: [Int] = []
        for index in compressible {
            let length = tokens[index].name.count
            if length < perToken {
                surplus += perToken - length
                allocated[index] = length
            } else {
                allocated[index] = perToken
                deficits.append(index)
            }
        }
        // Hand out the surplus one character per round, in token order, as Strapi does.
        var previousSurplus = surplus + 1
        while surplus > 0 && !deficits.isEmpty {
            deficits = deficits.filter { index in
                if allocated[index]! < tokens[index].name.count && surplus > 0 {
                    allocated[index]! += 1
                    surplus -= 1
                    return true
                }
                return false
            }
            if surplus == previousSurplus { break }
            previousSurplus = surplus
        }

        var parts: [String] = []
        for (index, token) in tokens.enumerated() {
            if token.compressible, let length = allocated[index] {
                parts.append(try Self.tokenWithHash(token.name, length: length))
            } else {
                parts.append(token.name)
            }
        }
        let result = parts.joined(separator: "_")
        guard result.count <= maxLength else {
            throw IdentifierError("name shortening failed to generate a name of the correct maxLength; name \(result)")
        }
        return result
    }

    static func tokenWithHash(_ name: String, length: Int) throws(IdentifierError) -> String {
        if name.count <= length { return name }
        guard length >= minTokenLength + hashLength else {
            throw IdentifierError("length for part of identifier too short, minimum is hash length (\(hashLength)) plus min token length (\(minTokenLength)), received \(length) for token \(name)")
        }
        return String(name.prefix(length - hashLength)) + Shake256.hex(name, length: hashLength)
    }

    // MARK: Named helpers, mirroring Strapi's naming functions.

    public func tableName(_ name: String) throws(IdentifierError) -> String { try self.name(name) }
    public func columnName(_ attribute: String) throws(IdentifierError) -> String { try name(attribute.snakeCased) }
    public func joinTableName(_ table: String, _ attribute: String) throws(IdentifierError) -> String {
        try name([table, attribute.snakeCased], suffix: "lnk")
    }
    public func morphTableName(_ table: String, _ attribute: String) throws(IdentifierError) -> String {
        try name([table, attribute.snakeCased], suffix: "mph")
    }
    public func componentJoinTableName(_ table: String) throws(IdentifierError) -> String { try name(table, suffix: "cmps") }
    public func joinColumnName(_ singular: String) throws(IdentifierError) -> String { try name(singular, suffix: "id") }
    public func inverseJoinColumnName(_ singular: String) throws(IdentifierError) -> String { try name(singular, prefix: "inv", suffix: "id") }
    public func orderColumnName(_ singular: String) throws(IdentifierError) -> String { try name(singular, suffix: "ord") }
    public func inverseOrderColumnName(_ singular: String) throws(IdentifierError) -> String { try name(singular, prefix: "inv", suffix: "ord") }
    public func indexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "idx") }
    public func fkIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "fk") }
    public func inverseFkIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "ifk") }
    public func orderFkIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "ofk") }
    public func orderInverseFkIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "oifk") }
    public func idColumnIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "idix") }
    public func orderIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "oidx") }
    public func uniqueIndexName(_ names: [String]) throws(IdentifierError) -> String { try name(names, suffix: "uq") }
}

/// A name that cannot be built within the identifier length.
public struct IdentifierError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
