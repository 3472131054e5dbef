public import StrataCore
public import StrataSchema

/// The Document Service methods, as middlewares see them (`context.action`).
public enum DocumentAction: String, Sendable, CaseIterable {
    case findMany, findFirst, findOne, count, create, update, delete, publish, unpublish, discardDraft

    /// Actions that write run inside one transaction together with every middleware.
    public var isWrite: Bool {
        switch self {
        case .create, .update, .delete, .publish, .unpublish, .discardDraft: return true
        default: return false
        }
    }
}

/// The parameters of one Document Service call; middlewares may change them before `next`.
public struct DocumentParams: Sendable {
    public var documentId: String?
    /// Read parameters (`findMany`, `findFirst`, `findOne`, `count`).
    public var query: DocumentQuery
    /// Write payload (`create`, `update`).
    public var data: JSONObject?
    /// Write parameters (`create`, `update`, `delete`, `publish`, `unpublish`, `discardDraft`).
    public var options: WriteOptions

    public init(documentId: String? = nil, query: DocumentQuery = DocumentQuery(), data: JSONObject? = nil, options: WriteOptions = WriteOptions()) {
        self.documentId = documentId
        self.query = query
        self.data = data
        self.options = options
    }
}

/// What a middleware receives: Strapi's `{ action, params, uid, contentType }`.
public struct DocumentContext: Sendable {
    public let action: DocumentAction
    public let uid: UID
    public let contentType: ContentType
    public var params: DocumentParams
}

/// What a Document Service method returns, by action.
public enum DocumentResult: Sendable {
    /// `findMany`.
    case documents([Document])
    /// `findFirst`, `findOne`, `create`, `update`.
    case document(Document?)
    /// `count`.
    case count(Int)
    /// `delete`, `publish`, `unpublish`, `discardDraft`: the document and the versions affected.
    case entries(DocumentEntries)
}

/// Strapi's `{ documentId, entries }` result of `delete`, `publish`, `unpublish` and `discardDraft`.
public struct DocumentEntries: Sendable {
    public var documentId: String
    public var entries: [Document]
}

/// Runs around every Document Service call, in registration order (Strapi's `strapi.documents.use`).
/// Call `next` with the (possibly changed) context and return its result, possibly changed.
/// A middleware that throws on a write rolls the whole operation back.
public typealias DocumentMiddleware = @Sendable (DocumentContext, _ next: @Sendable (DocumentContext) async throws -> DocumentResult) async throws -> DocumentResult

/// Document-level events, delivered only after the transaction that caused them commits.
public struct DocumentEvent: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case created = "entry.create"
        case updated = "entry.update"
        case deleted = "entry.delete"
        case published = "entry.publish"
        case unpublished = "entry.unpublish"
        case draftDiscarded = "entry.draft-discard"
    }

    public var kind: Kind
    public var uid: UID
    public var documentId: String
    public var locale: String?
    /// The version concerned, as stored (not sanitized).
    public var entry: Document?
}
