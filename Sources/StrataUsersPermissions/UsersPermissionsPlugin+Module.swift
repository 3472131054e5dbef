import StrataAccess
import StrataCore
package import StrataModule

extension UsersPermissionsPlugin: StrataModule {
    package var name: String { "users-permissions" }

    /// `auth.connect` (third-party providers) can be granted but has no route yet.
    package var actions: [String] { [Self.action("auth.connect")] }

    /// Syncs the stored permissions with the registry's catalogue (actions that no longer
    /// exist are removed) and seeds the roles and advanced settings.
    package func bootstrap(_ modules: ModuleRegistry) async throws {
        let known = modules.catalogue
        catalogue.withLock { $0 = known }
        try await permissions.bootstrap(knownActions: Set(known))
        try await users.bootstrap()
    }
}
