import Logging
import StrataCore
import StrataModule
import StrataOperations
import StrataServer
import StrataTesting
import Testing

/// The module seam: the application's routes, permission catalogue and start-up all come from
/// its registered modules.
@Suite("Modules")
struct ModuleRegistryTests {
    @Test("routes:list, the permission catalogue and the roles' permissions tree come from the registered modules")
    func catalogueFromModules() async throws {
        try await TestStrata.run(Blog.project) { strata, client in
            let app = strata.app
            #expect(app.modules.modules.map(\.name) == ["i18n", "content-api", "users-permissions", "upload", "webhooks"])
            let routes = app.routeDescriptions
            for expected in [
                RouteDescriptionKey("GET", "/api/articles/:id", "api::article.article.findOne"),
                RouteDescriptionKey("POST", "/api/auth/local", "plugin::users-permissions.auth.callback"),
                RouteDescriptionKey("GET", "/api/users/me", "plugin::users-permissions.user.me"),
                RouteDescriptionKey("DELETE", "/api/upload/files/:id", "plugin::upload.content-api.destroy"),
                RouteDescriptionKey("GET", "/_health", "strapi::health"),
            ] {
                #expect(routes.contains { RouteDescriptionKey($0.method, $0.path, $0.action) == expected }, "\(expected)")
            }
            // Every route's action can be granted, and so can actions without a route.
            let actions = app.knownActions
            #expect(routes.filter { $0.action != "strapi::health" }.allSatisfy { actions.contains($0.action) })
            #expect(actions.contains("plugin::users-permissions.auth.connect"))

            // The roles API lists and grants every module's actions, the Media Library's included.
            let permissions = try await client.get("/api/users-permissions/permissions")
            #expect(permissions.json?["permissions"]?["plugin::upload"]?["controllers"]?["content-api"]?["find"]?["enabled"] == false, "\(permissions.text)")
            let created = try await client.post("/api/users-permissions/roles", json: [
                "name": "Media reader",
                "permissions": ["plugin::upload": ["controllers": ["content-api": ["find": ["enabled": true]]]]],
            ])
            #expect(created.json == ["ok": true], "\(created.text)")
        }
    }

    /// Records what the registry asks of it; fails its bootstrap when told to.
    struct Probe: StrataModule {
        let name: String
        let fails: Bool
        let log: LockedValue<[String]>

        func bootstrap(_ modules: ModuleRegistry) async throws {
            log.withLock { $0.append("bootstrap \(name)") }
            if fails { throw ValidationError("\(name) cannot start") }
        }

        func destroy() async throws {
            log.withLock { $0.append("destroy \(name)") }
        }
    }

    @Test("modules start in order and stop in reverse; a failed start stops what had started, itself included")
    func lifecycle() async throws {
        let log = LockedValue<[String]>([])
        let logger = Logger(label: "test")
        let healthy = ModuleRegistry([Probe(name: "a", fails: false, log: log), Probe(name: "b", fails: false, log: log)])
        try await healthy.bootstrap(logger: logger)
        await healthy.destroy(logger: logger)
        #expect(log.value == ["bootstrap a", "bootstrap b", "destroy b", "destroy a"])

        log.withLock { $0 = [] }
        let failing = ModuleRegistry([Probe(name: "a", fails: false, log: log), Probe(name: "b", fails: true, log: log), Probe(name: "c", fails: false, log: log)])
        await #expect(throws: ValidationError.self) { try await failing.bootstrap(logger: logger) }
        #expect(log.value == ["bootstrap a", "bootstrap b", "destroy b", "destroy a"])
    }
}

/// A route as a comparable value.
struct RouteDescriptionKey: Equatable, CustomStringConvertible {
    let method: String, path: String, action: String
    init(_ method: String, _ path: String, _ action: String) {
        self.method = method
        self.path = path
        self.action = action
    }
    var description: String { "\(method) \(path) \(action)" }
}
