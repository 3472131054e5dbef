public import StrataCore

/// What to load besides a model's own columns: Strapi's `populate`, typed and resolved against
/// the schema. Keys are attribute names in request order.
public struct Populate: Sendable, Hashable {
    public var entries: [(name: String, options: PopulateOptions)]

    public init(_ entries: [(name: String, options: PopulateOptions)] = []) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(name: String) -> PopulateOptions? {
        entries.first { $0.name == name }?.options
    }

    /// Adds or replaces an entry, keeping the first position.
    public mutating func set(_ name: String, _ options: PopulateOptions) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].options = options
        } else {
            entries.append((name, options))
        }
    }

    public static func == (lhs: Populate, rhs: Populate) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.name == $1.name && $0.options == $1.options }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.options)
        }
    }
}

/// Options of one populated attribute.
public struct PopulateOptions: Sendable, Hashable {
    /// Scalar fields of the target to select (`nil`: all).
    public var fields: [String]?
    /// Filters on the populated items (the parent rows are not filtered).
    public var filters: Filter?
    public var sort: [SortField]
    /// Nested population inside the target.
    public var populate: Populate
    /// `count: true` returns `{"count": N}` instead of the items.
    public var count: Bool
    public var start: Int?
    public var limit: Int?
    /// Dynamic zone fragments: per-component options (`on[shared.slider]`).
    public var on: [UID: PopulateOptions]?
    /// A polymorphic relation's targets limited to these content types (`nil`: every type), so
    /// links to types the caller may not read are neither fetched nor counted.
    public var types: Set<UID>?

    public init(
        fields: [String]? = nil,
        filters: Filter? = nil,
        sort: [SortField] = [],
        populate: Populate = Populate(),
        count: Bool = false,
        start: Int? = nil,
        limit: Int? = nil,
        on: [UID: PopulateOptions]? = nil
    ) {
        self.fields = fields
        self.filters = filters
        self.sort = sort
        self.populate = populate
        self.count = count
        self.start = start
        self.limit = limit
        self.on = on
    }

    /// Populate everything one level deep (`populate[x]=true`).
    public static let all = PopulateOptions()
}
