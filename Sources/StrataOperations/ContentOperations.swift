package import StrataCore
import StrataDatabase
package import StrataDocuments
package import StrataSchema

/// The content operations every transport runs: REST, GraphQL and the admin API are adapters
/// that parse their request, call one of these with a typed ``Caller``, and wrap the answer.
///
/// Each operation runs the same script in the same order: authorize the action, gate the
/// related types the query or body reaches, parse and validate the query, paginate, run the
/// Document Service (with the caller bound to ``Caller/current``), sanitize the output. The
/// fast paths (a cached permission, a query that reaches no other type) are taken here, so a
/// new transport cannot miss them.
package struct ContentOperations: Sendable {
    package let documents: DocumentService
    package let configuration: ContentAPIConfiguration
    package let access: any AccessPolicy
    let sanitizer: OutputSanitizer

    package init(documents: DocumentService, configuration: ContentAPIConfiguration = ContentAPIConfiguration(), access: any AccessPolicy) {
        self.documents = documents
        self.configuration = configuration
        self.access = access
        self.sanitizer = OutputSanitizer(registry: documents.registry, globalPrivateAttributes: configuration.privateAttributes)
    }

    /// A page of documents and its `meta.pagination`.
    package struct Page: Sendable {
        package var data: JSONValue
        package var pagination: JSONObject
    }

    // MARK: Steps every operation shares

    /// Authorizes `action` for `caller`: nearly every request finds its answer cached and does
    /// not suspend.
    package func authorize(_ caller: Caller, action: String) async throws -> OperationAccess {
        let decision: AccessDecision
        if let cached = access.cachedDecision(caller, action: action) {
            decision = cached
        } else {
            decision = try await access.decide(caller, action: action)
        }
        guard case .allowed(let scope) = decision else { throw ForbiddenError() }
        return OperationAccess(caller: caller, scope: scope)
    }

    /// Query parameters for `type` limited to what the caller may reach. Only `populate`,
    /// `filters` and sorts through relations reach other types; a query without them needs no
    /// decision about related types (a third of a findOne when it was made anyway).
    package func parameters(_ type: ContentType, query raw: JSONObject, access gate: inout OperationAccess) async throws -> QueryParameters {
        let metadata = documents.database.metadata
        if raw["populate"] == nil && raw["filters"] == nil && !Self.sortReachesRelations(raw["sort"]) {
            return try QueryParameters(metadata: metadata, contentType: type, rules: rules { @Sendable _ in false })
        }
        return try QueryParameters(metadata: metadata, contentType: type, rules: rules(try await gate.readableTypes(access)))
    }

    /// The query rules for a caller who may read `readable` related types.
    func rules(_ readable: OutputSanitizer.Readable?) -> QueryRules {
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

    /// A write body limited to what the caller may write: attributes outside its scope, and
    /// links to types it may not read (as Strapi's input sanitizer removes them). Bodies of
    /// types that hold no links cost nothing.
    package func writableData(_ data: JSONObject, _ type: ContentType, access gate: inout OperationAccess) async throws -> JSONObject {
        let data = gate.scope.restrictInput(data)
        guard gate.caller.identity != .unrestricted, type.attributes.contains(where: \.linksEntries),
            let readable = try await gate.readableTypes(access)
        else { return data }
        return RestrictedRelations.remove(from: data, uid: type.uid, registry: documents.registry, readable: readable)
    }

    /// A document as the caller may see it.
    package func output(_ document: Document, _ type: ContentType, _ parameters: QueryParameters, _ gate: OperationAccess) -> JSONValue {
        .object(gate.scope.restrictOutput(sanitizer.sanitize(document, uid: type.uid, readable: parameters.rules.canAccess)))
    }

    package func output(_ documents: [Document], _ type: ContentType, _ parameters: QueryParameters, _ gate: OperationAccess) -> JSONValue {
        .array(sanitizer.sanitize(documents, uid: type.uid, readable: parameters.rules.canAccess).map { .object(gate.scope.restrictOutput($0)) })
    }

    /// Runs Document Service work with the caller visible to what runs below.
    func run<T: Sendable>(_ gate: OperationAccess, _ body: () async throws -> T) async throws -> T {
        try await Caller.$current.withValue(gate.caller, operation: body)
    }

    func repository(_ type: ContentType) throws -> DocumentRepository { try documents(type.uid) }
}

extension Attribute {
    /// Relations, media, and the components and dynamic zones that may hold them.
    var linksEntries: Bool {
        switch kind {
        case .relation, .media, .component, .dynamiczone: return true
        default: return false
        }
    }
}
