/// Who runs an operation, and through which door.
///
/// Every transport (REST, GraphQL, the admin API, the CLI, data transfer) hands one to the
/// operations layer, which binds it to ``current`` while the Document Service works, so that
/// what runs below (document middlewares, lifecycles, later history and audit logs) can tell
/// who acted without an HTTP request in sight.
package struct Caller: Sendable, Hashable {
    /// The door a call came through.
    package enum Origin: String, Sendable, Hashable {
        case contentAPI = "content-api"
        case graphql
        case admin
        case cli
        /// Start-up work, cron jobs, imports: no person behind it.
        case system
    }

    /// Whose credentials: `nil` or ``Identity/publicRole`` without any.
    package var identity: Identity?
    package var origin: Origin

    package init(identity: Identity?, origin: Origin) {
        self.identity = identity
        self.origin = origin
    }

    /// Strata itself, allowed everything.
    package static let system = Caller(identity: .unrestricted, origin: .system)

    /// The caller of the operation running now; `nil` outside any operation.
    @TaskLocal package static var current: Caller?
}
