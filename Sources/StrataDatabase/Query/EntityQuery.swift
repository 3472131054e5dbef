import StrataCore


/// A read of one model's rows: the query engine's equivalent of Strapi's
/// `db.query(uid).findMany({ where, select, orderBy, limit, offset })`.
public struct EntityQuery: Sendable {
    public var filter: Filter
    public var sort: [SortField]
    public var limit: Int?
    public var offset: Int?
    /// Field names to select; `nil` selects every column. `id` (and `documentId` on content
    /// types) are always selected.
    public var fields: [String]?
    /// Relations, components, dynamic zones and media to load with the rows.
    public var populate: Populate
    /// Which version of Draft & Publish targets populated relations resolve to.
    public var publicationScope: PublicationScope?
    /// Strapi's `_q`: rows where any searchable text column contains the text (and, when it is
    /// a number, any numeric column equals it).
    public var search: String?
    /// The filter matches at most one row (one document's version in one status and locale), so
    /// the read needs no `ORDER BY id` tiebreaker: on SQLite that saves a sort of the index hit.
    public var atMostOneRow = false

    public init(
        filter: Filter = .all,
        sort: [SortField] = [],
        limit: Int? = nil,
        offset: Int? = nil,
        fields: [String]? = nil,
        populate: Populate = Populate(),
        publicationScope: PublicationScope? = nil,
        search: String? = nil
    ) {
        self.filter = filter
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.fields = fields
        self.populate = populate
        self.publicationScope = publicationScope
        self.search = search
    }
}

/// Draft or published rows of Draft & Publish models (`published_at IS [NOT] NULL`).
public enum PublicationScope: Sendable, Hashable {
    case draft
    case published

    /// The filter selecting this scope on `model`, or `nil` when the model has no Draft & Publish.
    public func filter(for model: Model) -> Filter? {
        guard model.hasDraftAndPublish else { return nil }
        return .field("publishedAt", .operator(self == .draft ? .null : .notNull, .bool(true)))
    }
}

/// One `ORDER BY` term: a field path (scalar, or through relations/components) and a direction.
public struct SortField: Sendable, Hashable {
    public enum Direction: String, Sendable {
        case asc, desc
    }

    public var path: [String]
    public var direction: Direction

    public init(_ path: [String], _ direction: Direction = .asc) {
        self.path = path
        self.direction = direction
    }
}
