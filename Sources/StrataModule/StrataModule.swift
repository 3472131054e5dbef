package import StrataCore
package import StrataDocuments

/// A part of Strata that plugs into the application: the core Content API and every built-in
/// plugin (Users & Permissions, upload, i18n, webhooks) register through this one seam, the
/// same one users' Swift extensions will use.
///
/// The application folds over its modules: their routes are mounted under the API prefix, their
/// actions make the permission catalogue (and `routes:list`), what they install runs below HTTP,
/// and they are bootstrapped in order and destroyed in reverse order.
package protocol StrataModule: Sendable {
    /// The name Strapi gives the plugin (`users-permissions`, `upload`, `i18n`), or `content-api`
    /// and `webhooks` for the core parts.
    var name: String { get }
    /// The routes under the API prefix, each with its permission action and policies.
    var routes: [ModuleRoute] { get }
    /// Permission actions that no route of the module carries (a role may still be granted them).
    var actions: [String] { get }
    /// Installs what runs below HTTP: document middlewares and event subscribers.
    func install(on documents: DocumentService)
    /// Start-up work once every module is wired; `modules` is the whole registry (its action
    /// catalogue, for example).
    func bootstrap(_ modules: ModuleRegistry) async throws
    /// Shutdown work, in reverse registration order.
    func destroy() async throws
}

extension StrataModule {
    package var routes: [ModuleRoute] { [] }
    package var actions: [String] { [] }
    package func install(on documents: DocumentService) {}
    package func bootstrap(_ modules: ModuleRegistry) async throws {}
    package func destroy() async throws {}
}

/// A module's settings, decoded from its entry of `config/plugins.json` (the `config` object).
package protocol ModuleConfiguration: Sendable {
    init(plugin config: JSONValue?) throws
}
