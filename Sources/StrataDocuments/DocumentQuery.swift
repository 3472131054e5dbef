public import StrataCore
public import StrataDatabase

/// Which version of a document to read or write (Draft & Publish).
public enum DocumentStatus: String, Sendable, Hashable {
    case draft
    case published
}

/// Which locale(s) an operation targets.
public enum LocaleSelection: Sendable, Hashable {
    /// One locale code.
    case code(String)
    /// Every locale (`locale: '*'`).
    case all
}

/// The parameters of Document Service reads: the typed form of REST's query string and of
/// the `params` object of Strapi's `strapi.documents(uid).findMany(params)`.
public struct DocumentQuery: Sendable {
    public var filters: Filter
    public var fields: [String]?
    public var sort: [SortField]
    public var start: Int?
    public var limit: Int?
    /// `nil` means the Document Service default (draft).
    public var status: DocumentStatus?
    /// `nil` means the default locale.
    public var locale: LocaleSelection?
    /// Relations, components, dynamic zones and media to return with the documents.
    public var populate: Populate
    /// Full-text-ish search (`_q`).
    public var search: String?

    public init(
        filters: Filter = .all,
        fields: [String]? = nil,
        sort: [SortField] = [],
        start: Int? = nil,
        limit: Int? = nil,
        status: DocumentStatus? = nil,
        locale: LocaleSelection? = nil,
        populate: Populate = Populate(),
        search: String? = nil
    ) {
        self.filters = filters
        self.fields = fields
        self.sort = sort
        self.start = start
        self.limit = limit
        self.status = status
        self.locale = locale
        self.populate = populate
        self.search = search
    }
}

/// Parameters of Document Service writes.
public struct WriteOptions: Sendable {
    /// `.published` also publishes the written draft; `nil` means draft.
    public var status: DocumentStatus?
    public var locale: LocaleSelection?
    /// Fields to return from the written document.
    public var fields: [String]?
    /// What to populate in the returned document.
    public var populate: Populate

    public init(status: DocumentStatus? = nil, locale: LocaleSelection? = nil, fields: [String]? = nil, populate: Populate = Populate()) {
        self.status = status
        self.locale = locale
        self.fields = fields
        self.populate = populate
    }
}

/// A document version as returned by the Document Service: attribute name → value.
public typealias Document = JSONObject
