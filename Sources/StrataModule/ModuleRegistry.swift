package import Hummingbird
package import Logging
package import StrataDocuments
package import StrataHTTP
package import StrataOperations

/// The application's modules, in registration order, and what derives from them: the routes,
/// the permission action catalogue, installation, bootstrap and destroy.
package struct ModuleRegistry: Sendable {
    package let modules: [any StrataModule]

    package init(_ modules: [any StrataModule]) {
        self.modules = modules
    }

    /// Every permission action, in catalogue order: each module's routes' actions, then its
    /// own, without repeats.
    package var catalogue: [String] {
        var seen = Set<String>()
        return modules.flatMap { module in module.routes.map(\.action) + module.actions }.filter { seen.insert($0).inserted }
    }

    /// Every permission action.
    package var actions: Set<String> { Set(catalogue) }

    /// The routes as `routes:list` shows them, under `prefix`.
    package func routeDescriptions(prefix: String) -> [RouteDescription] {
        modules.flatMap { module in
            module.routes.map { RouteDescription(method: $0.method.rawValue, path: "\(prefix)/\($0.path)", action: $0.action) }
        }
    }

    /// Mounts every module's routes on `router` (a group at the API prefix).
    package func register(on router: some RouterMethods<StrataRequestContext>) {
        for module in modules {
            for route in module.routes {
                router.on(RouterPath(route.path), method: route.method) { request, context in
                    try await route.respond(request, context)
                }
            }
        }
    }

    /// Installs every module's document middlewares and event subscribers.
    package func install(on documents: DocumentService) {
        for module in modules { module.install(on: documents) }
    }

    /// Bootstraps the modules in order; when one fails, it and those already bootstrapped are
    /// destroyed (in reverse order) before the error is thrown.
    package func bootstrap(logger: Logger) async throws {
        var started: [any StrataModule] = []
        for module in modules {
            started.append(module)
            do {
                try await module.bootstrap(self)
            } catch {
                await Self.destroy(started, logger: logger)
                throw error
            }
        }
    }

    /// Destroys every module in reverse order; a failure is logged and the others still run.
    package func destroy(logger: Logger) async {
        await Self.destroy(modules, logger: logger)
    }

    static func destroy(_ modules: [any StrataModule], logger: Logger) async {
        for module in modules.reversed() {
            do {
                try await module.destroy()
            } catch {
                logger.error("module \(module.name) failed to stop", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
