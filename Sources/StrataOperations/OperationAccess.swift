package import StrataCore
import StrataDatabase
package import StrataDocuments

/// One operation's view of its caller: the scope of the action it runs and, decided at most
/// once per operation, the related types the caller may reach.
package struct OperationAccess: Sendable {
    package let caller: Caller
    package let scope: AccessScope
    /// `.none` until asked; then the policy's answer (`nil` inside: every type is readable).
    private var decided: OutputSanitizer.Readable??

    package init(caller: Caller, scope: AccessScope) {
        self.caller = caller
        self.scope = scope
    }

    /// The related types the caller may read, asking the policy only the first time.
    package mutating func readableTypes(_ policy: any AccessPolicy) async throws -> OutputSanitizer.Readable? {
        if let decided { return decided }
        let readable = try await policy.readableTypes(caller)
        decided = .some(readable)
        return readable
    }
}

extension AccessScope {
    /// `filter` narrowed to the rows this scope allows.
    func restrict(_ filter: Filter) -> Filter {
        guard let rows else { return filter }
        return filter.and(rows)
    }

    /// A write body without the attributes this scope does not allow (dropped as Strapi's
    /// permission-aware input sanitizer drops them).
    func restrictInput(_ data: JSONObject) -> JSONObject {
        guard let fields else { return data }
        var allowed = data
        allowed.removeAll { key, _ in !fields.contains(key) }
        return allowed
    }

    /// What the scope lets the caller see of a document: the allowed attributes plus the
    /// document's identity and timestamps.
    func restrictOutput(_ document: Document) -> Document {
        guard let fields else { return document }
        var visible = document
        visible.removeAll { key, _ in !fields.contains(key) && !Self.systemKeys.contains(key) }
        return visible
    }

    static let systemKeys: Set<String> = ["id", "documentId", "createdAt", "updatedAt", "publishedAt", "locale"]
}
