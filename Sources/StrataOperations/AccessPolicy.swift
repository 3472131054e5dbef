package import StrataCore
package import StrataDatabase
package import StrataDocuments
package import StrataSchema

/// What an allowed action covers. Users & Permissions and API tokens allow all rows and every
/// non-private attribute; admin RBAC conditions narrow the rows, field-level permissions the
/// attributes.
package struct AccessScope: Sendable {
    /// Only rows matching this filter may be read or written; `nil`: every row.
    package var rows: Filter?
    /// Only these attributes may be read or written; `nil`: every attribute the type exposes.
    package var fields: Set<String>?

    package init(rows: Filter? = nil, fields: Set<String>? = nil) {
        self.rows = rows
        self.fields = fields
    }

    /// All rows, all attributes.
    package static let everything = AccessScope()
}

/// A caller's answer for one action.
package enum AccessDecision: Sendable {
    /// Refused: a 403 `ForbiddenError` (policies that need a 401 throw it themselves).
    case denied
    case allowed(AccessScope)
}

/// Decides what callers may do. One instance serves every transport; the operations layer asks
/// it once per action and, at most once per operation, which related types a caller may reach.
package protocol AccessPolicy: Sendable {
    /// The decision for `action`, or a thrown `UnauthorizedError`/`ForbiddenError`.
    func decide(_ caller: Caller, action: String) async throws -> AccessDecision
    /// ``decide(_:action:)`` when it is known without suspending (from caches); `nil` otherwise.
    func cachedDecision(_ caller: Caller, action: String) -> AccessDecision?
    /// The content types `caller` may read through relations (populate, filters, sort, links in
    /// writes); `nil` when every type is readable.
    func readableTypes(_ caller: Caller) async throws -> OutputSanitizer.Readable?
}

/// The Content API's policy over an ``ActionAuthorizer`` (Users & Permissions roles and API
/// tokens): all-or-nothing per action, and a type is readable through relations when its
/// `find` action is allowed.
package struct AuthorizerAccessPolicy: AccessPolicy {
    package let authorizer: any ActionAuthorizer
    package let registry: SchemaRegistry

    package init(authorizer: any ActionAuthorizer, registry: SchemaRegistry) {
        self.authorizer = authorizer
        self.registry = registry
    }

    package func decide(_ caller: Caller, action: String) async throws -> AccessDecision {
        // The authorizer throws the 401 or 403 Strapi answers with.
        try await authorizer.authorize(caller.identity, action: action)
        return .allowed(.everything)
    }

    package func cachedDecision(_ caller: Caller, action: String) -> AccessDecision? {
        // Without credentials the authorizer decides between 401 and 403: always ask it.
        guard caller.identity != nil, authorizer.cachedPermits(caller.identity, action: action) == true else { return nil }
        return .allowed(.everything)
    }

    package func readableTypes(_ caller: Caller) async throws -> OutputSanitizer.Readable? {
        if caller.identity == .unrestricted { return nil }
        var readable = Set<UID>()
        for type in registry.contentTypes {
            guard let action = Self.findAction(for: type.uid) else { continue }
            if try await authorizer.permits(caller.identity, action: action) { readable.insert(type.uid) }
        }
        let allowed = readable
        return { allowed.contains($0) }
    }

    /// The permission action that allows reading a model through relations (`populate`, deep
    /// filters): its `find` action; `nil` for models the Content API never exposes.
    package static func findAction(for uid: UID) -> String? {
        switch uid.namespace {
        case .api: return "\(uid.rawValue).find"
        case .plugin("upload") where uid.name == "file": return "plugin::upload.content-api.find"
        case .plugin("users-permissions"): return "\(uid.rawValue).find"
        default: return nil
        }
    }
}
