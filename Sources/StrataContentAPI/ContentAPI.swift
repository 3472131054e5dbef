public import Hummingbird
public import StrataCore
public import StrataDocuments
import StrataDatabase
public import StrataHTTP
public import StrataSchema

/// One REST route, for `routes:list` and documentation.
public struct RouteDescription: Sendable, Hashable {
    public var method: String
    public var path: String
    /// The permission action, e.g. `api::article.article.find`.
    public var action: String

    public init(method: String, path: String, action: String) {
        self.method = method
        self.path = path
        self.action = action
    }
}

/// The REST Content API: Strapi's generated routes for every `api::` content type.
///
/// Each handler runs Strapi's controller script: parse and validate the query, call the
/// Document Service, sanitize the output, wrap it in the `{data, meta}` envelope.
public struct ContentAPI: Sendable {
    public let documents: DocumentService
    public let configuration: ContentAPIConfiguration
    public let authorizer: any ActionAuthorizer
    let sanitizer: OutputSanitizer

    public init(documents: DocumentService, configuration: ContentAPIConfiguration = ContentAPIConfiguration(), authorizer: any ActionAuthorizer = UnrestrictedAuthorizer()) {
        self.documents = documents
        self.configuration = configuration
        self.authorizer = authorizer
        self.sanitizer = OutputSanitizer(registry: documents.registry, globalPrivateAttributes: configuration.privateAttributes)
    }

    /// The permission action that allows reading a model through relations (`populate`, deep
    /// filters): its `find` action; `nil` for models the Content API never exposes.
    public static func findAction(for uid: UID) -> String? {
        switch uid.namespace {
        case .api: return "\(uid.rawValue).find"
        case .plugin("upload") where uid.name == "file": return "plugin::upload.content-api.find"
        case .plugin("users-permissions"): return "\(uid.rawValue).find"
        default: return nil
        }
    }

    /// Query parameters for `contentType` limited to what `identity` may read through relations.
    /// Which related models are readable matters only to `populate` and `filters`: without them,
    /// the one permission lookup per content type is skipped (a third of a findOne).
    public func queryParameters(for contentType: ContentType, identity: Identity?, query raw: JSONObject) async throws -> QueryParameters {
        if let parameters = try plainQueryParameters(for: contentType, query: raw) { return parameters }
        return try QueryParameters(metadata: documents.database.metadata, contentType: contentType, rules: rules(try await readableModels(identity)))
    }

    /// The parameters of a query that reaches no other type (no `populate`, no `filters`, no
    /// sort through a relation), which need no permission lookups; `nil` for any other query.
    func plainQueryParameters(for contentType: ContentType, query raw: JSONObject) throws -> QueryParameters? {
        guard raw["populate"] == nil && raw["filters"] == nil, !Self.sortReachesRelations(raw["sort"]) else { return nil }
        return try QueryParameters(metadata: documents.database.metadata, contentType: contentType, rules: rules { @Sendable _ in false })
    }

    /// The query rules for a caller who may read `readable` related types.
    func rules(_ readable: (@Sendable (UID) -> Bool)?) -> QueryRules {
        QueryRules(canAccess: readable, limits: configuration.limits)
    }

    /// Whether a `sort` value may name a path through a relation or component (a dot, or a
    /// nested sort object); plain column sorts need no permission lookup.
    static func sortReachesRelations(_ sort: JSONValue?) -> Bool {
        switch sort {
        case nil, .null?: return false
        case .string(let text)?: return text.contains(".")
        case .array(let items)?: return items.contains { sortReachesRelations($0) }
        case .object(let object)?:
            // qs turns long arrays into objects keyed by index: their values are sort terms.
            if FilterParser.isIndexedObject(object) { return object.values.contains { sortReachesRelations($0) } }
            return object.values.contains { value in
                if case .string = value { return false }
                return true
            }
        default: return false
        }
    }

    /// The models `identity` may reach through relations, for the query parsers.
    public func readableModels(_ identity: Identity?) async throws -> (@Sendable (UID) -> Bool)? {
        try await Self.readableModels(identity, registry: documents.registry, authorizer: authorizer)
    }

    /// The models `identity` may reach through relations, as `authorizer` decides.
    public static func readableModels(_ identity: Identity?, registry: SchemaRegistry, authorizer: any ActionAuthorizer) async throws -> (@Sendable (UID) -> Bool)? {
        if identity == .unrestricted { return nil }
        var readable = Set<UID>()
        for type in registry.contentTypes {
            guard let action = findAction(for: type.uid) else { continue }
            if try await authorizer.permits(identity, action: action) { readable.insert(type.uid) }
        }
        let allowed = readable
        return { allowed.contains($0) }
    }

    /// The routes this API serves.
    public var routes: [RouteDescription] {
        Self.routes(for: documents.registry, configuration: configuration)
    }

    /// The routes generated for the `api::` content types of a registry.
    public static func routes(for registry: SchemaRegistry, configuration: ContentAPIConfiguration) -> [RouteDescription] {
        registry.apiContentTypes.flatMap { type -> [RouteDescription] in
            let action = "\(type.uid.rawValue)"
            switch type.kind {
            case .collectionType:
                let base = "\(configuration.prefix)/\(type.pluralName)"
                return [
                    RouteDescription(method: "GET", path: base, action: "\(action).find"),
                    RouteDescription(method: "GET", path: "\(base)/:id", action: "\(action).findOne"),
                    RouteDescription(method: "POST", path: base, action: "\(action).create"),
                    RouteDescription(method: "PUT", path: "\(base)/:id", action: "\(action).update"),
                    RouteDescription(method: "DELETE", path: "\(base)/:id", action: "\(action).delete"),
                ]
            case .singleType:
                let base = "\(configuration.prefix)/\(type.singularName)"
                return [
                    RouteDescription(method: "GET", path: base, action: "\(action).find"),
                    RouteDescription(method: "PUT", path: base, action: "\(action).update"),
                    RouteDescription(method: "DELETE", path: base, action: "\(action).delete"),
                ]
            }
        }
    }

    /// Adds every content type's routes to `router`, a group mounted at the API prefix.
    public func register(on router: some RouterMethods<StrataRequestContext>) {
        for type in documents.registry.apiContentTypes {
            switch type.kind {
            case .collectionType:
                let controller = CollectionTypeController(api: self, contentType: type, actions: ContentTypeActions(type.uid))
                let base = RouterPath(type.pluralName)
                let item = RouterPath("\(type.pluralName)/:id")
                router.get(base) { request, context in try await controller.find(request, context) }
                router.post(base) { request, context in try await controller.create(request, context) }
                router.get(item) { request, context in try await controller.findOne(request, context) }
                router.put(item) { request, context in try await controller.update(request, context) }
                router.delete(item) { request, context in try await controller.delete(request, context) }
            case .singleType:
                let controller = SingleTypeController(api: self, contentType: type, actions: ContentTypeActions(type.uid))
                let base = RouterPath(type.singularName)
                router.get(base) { request, context in try await controller.find(request, context) }
                router.put(base) { request, context in try await controller.update(request, context) }
                router.delete(base) { request, context in try await controller.delete(request, context) }
            }
        }
    }

    /// A document as the caller may see it (`parameters` says which types it may read).
    func output(_ document: Document, _ contentType: ContentType, _ parameters: QueryParameters) -> JSONValue {
        .object(sanitizer.sanitize(document, uid: contentType.uid, readable: parameters.rules.canAccess))
    }

    func output(_ documents: [Document], _ contentType: ContentType, _ parameters: QueryParameters) -> JSONValue {
        .array(sanitizer.sanitize(documents, uid: contentType.uid, readable: parameters.rules.canAccess).map { .object($0) })
    }
}

extension Request {
    /// The decoded query string.
    var strapiQuery: JSONObject {
        QueryString.parse(uri.query)
    }

    /// The `data` object of a write body, as Strapi requires it.
    mutating func dataPayload(context: StrataRequestContext) async throws -> JSONObject {
        guard let body = try await decodeJSONBody(context: context), case .object(let object) = body,
            case .object(let data)? = object["data"]
        else {
            throw ValidationError("Missing \"data\" payload in the request body")
        }
        return data
    }
}
