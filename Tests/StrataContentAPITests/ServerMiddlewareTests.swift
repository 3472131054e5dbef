import CompressNIO
import Foundation
import HTTPTypes
import NIOCore
import StrataCore
import StrataTesting
import Testing

/// `config/middlewares.json` and `server.proxy`: Strapi's security headers, CORS, X-Powered-By,
/// response time, IP filter, body limits and favicon, with Strapi's defaults.
@Suite("Server middlewares")
struct ServerMiddlewareTests {
    static func project(middlewares: JSONValue? = nil, server: JSONValue? = nil) -> TestProject {
        var project = APIFixtures.project
        if let middlewares { project.config["middlewares"] = middlewares }
        if let server { project.config["server"] = server }
        return project
    }

    // Safe: a literal header name.
    static let forwarded = HTTPField.Name("X-Forwarded-For")!

    static let defaultCSP = "connect-src 'self' https:;img-src 'self' data: blob: https://market-assets.strapi.io;media-src 'self' data: blob:;default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'"

    @Test("a project without config/middlewares.json sends a new Strapi 5 project's headers")
    func defaults() async throws {
        try await TestStrata.run(Self.project()) { _, client in
            let response = try await client.get("/api/products")
            #expect(response.status == 200)
            #expect(response.header("content-security-policy") == Self.defaultCSP)
            #expect(response.header("referrer-policy") == "no-referrer")
            #expect(response.header("strict-transport-security") == "max-age=31536000; includeSubDomains")
            #expect(response.header("x-content-type-options") == "nosniff")
            #expect(response.header("x-dns-prefetch-control") == "off")
            #expect(response.header("x-download-options") == "noopen")
            #expect(response.header("x-frame-options") == "SAMEORIGIN")
            #expect(response.header("x-permitted-cross-domain-policies") == "none")
            #expect(response.header("x-powered-by") == "Strapi <strapi.io>")
            #expect(response.header("vary") == "Origin")
            #expect(response.header("access-control-allow-credentials") == "true")
            for absent in ["cross-origin-embedder-policy", "cross-origin-opener-policy", "cross-origin-resource-policy", "origin-agent-cluster", "x-xss-protection", "x-response-time"] {
                #expect(response.header(absent) == nil, "\(absent)")
            }
            // Errors carry the security and CORS headers, but not X-Powered-By (set after the chain).
            let error = try await client.get("/api/products?sort=nope")
            #expect(error.status == 400)
            #expect(error.header("content-security-policy") == Self.defaultCSP)
            #expect(error.header("vary") == "Origin")
            #expect(error.header("x-powered-by") == nil)
        }
    }

    @Test("CORS: any origin is echoed with credentials, preflights are 204 with Strapi's methods, headers and max age")
    func corsDefaults() async throws {
        try await TestStrata.run(Self.project()) { _, client in
            let simple = try await client.send(.get, "/api/products", headers: [.origin: "http://localhost:3000"])
            #expect(simple.header("access-control-allow-origin") == "http://localhost:3000")
            #expect(simple.header("access-control-allow-credentials") == "true")
            let preflight = try await client.send(.options, "/api/products", headers: [
                .origin: "http://localhost:3000", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type",
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "http://localhost:3000")
            #expect(preflight.header("access-control-allow-methods") == "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS")
            #expect(preflight.header("access-control-allow-headers") == "Content-Type,Authorization,Origin,Accept")
            #expect(preflight.header("access-control-max-age") == "31536000")
            #expect(preflight.header("content-security-policy") == Self.defaultCSP, "security headers are set before CORS answers")
            #expect(preflight.text.isEmpty)
        }
    }

    @Test("CORS: an origin list allows only its origins; without credentials any origin is *")
    func corsConfigured() async throws {
        let listed = Self.project(middlewares: [
            "strapi::logger", "strapi::errors", "strapi::security",
            ["name": "strapi::cors", "config": ["origin": ["https://site.example", "http://localhost:3000"], "expose": ["X-Total"], "headers": "Content-Type, X-Custom"]],
            "strapi::poweredBy", "strapi::query", "strapi::body", "strapi::session", "strapi::favicon", "strapi::public",
        ])
        try await TestStrata.run(listed) { _, client in
            let allowed = try await client.send(.get, "/api/products", headers: [.origin: "https://site.example"])
            #expect(allowed.header("access-control-allow-origin") == "https://site.example")
            #expect(allowed.header("access-control-expose-headers") == "X-Total")
            let refused = try await client.send(.get, "/api/products", headers: [.origin: "https://evil.example"])
            #expect(refused.status == 200, "the server answers; the browser refuses it")
            #expect(refused.header("access-control-allow-origin") == nil)
            #expect(refused.header("vary") == "Origin")
            let refusedPreflight = try await client.send(.options, "/api/products", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"])
            #expect(refusedPreflight.header("access-control-allow-origin") == nil)
            let preflight = try await client.send(.options, "/api/products", headers: [.origin: "http://localhost:3000", .accessControlRequestMethod: "GET"])
            #expect(preflight.header("access-control-allow-headers") == "Content-Type,X-Custom")
        }
        let open = Self.project(middlewares: [
            "strapi::errors", "strapi::security", ["name": "strapi::cors", "config": ["credentials": false]],
            "strapi::query", "strapi::body", "strapi::favicon", "strapi::public",
        ])
        try await TestStrata.run(open) { _, client in
            let response = try await client.send(.get, "/api/products", headers: [.origin: "https://any.example"])
            #expect(response.header("access-control-allow-origin") == "https://any.example")
            #expect(response.header("access-control-allow-credentials") == nil)
            #expect(response.header("x-powered-by") == nil, "poweredBy left out of the list is off")
        }
    }

    @Test("security options merge over Strapi's defaults as lodash defaultsDeep does; false drops a header")
    func securityConfigured() async throws {
        let project = Self.project(middlewares: [
            "strapi::errors",
            ["name": "strapi::security", "config": [
                "contentSecurityPolicy": ["directives": ["img-src": ["'self'", "https://cdn.example"], "scriptSrc": ["'self'", "https://js.example"]]],
                "frameguard": ["action": "deny"], "hsts": false, "referrerPolicy": ["policy": ["origin", "strict-origin"]],
            ]],
            "strapi::cors", "strapi::query", "strapi::body", "strapi::favicon", "strapi::public",
            ["name": "strapi::poweredBy", "config": ["poweredBy": "Strata"]], "strapi::responseTime",
        ])
        try await TestStrata.run(project) { _, client in
            let response = try await client.get("/api/products")
            let csp = try #require(response.header("content-security-policy"))
            #expect(csp.hasPrefix("img-src 'self' https://cdn.example blob: https://market-assets.strapi.io;script-src 'self' https://js.example;connect-src 'self' https:;media-src"), "\(csp)")
            #expect(!csp.contains("script-src 'self';"), "a named directive replaces helmet's default")
            #expect(response.header("x-frame-options") == "DENY")
            #expect(response.header("strict-transport-security") == nil)
            #expect(response.header("referrer-policy") == "origin,strict-origin")
            #expect(response.header("x-powered-by") == "Strata")
            #expect(response.header("x-response-time")?.hasSuffix("ms") == true)
        }
    }

    @Test("custom or missing required middlewares stop start-up with a message")
    func invalidLists() async throws {
        for list: JSONValue in [["strapi::errors", "global::audit"], ["strapi::errors", "strapi::security"], [["resolve": "./src/middlewares/x"]], "strapi::cors"] {
            await #expect(throws: (any Error).self, "\(list)") {
                try await TestStrata.run(Self.project(middlewares: list)) { _, _ in }
            }
        }
    }

    @Test("strapi::ip refuses listed clients with 403; X-Forwarded-For counts only behind a trusted proxy")
    func ipFilterAndProxy() async throws {
        let list: JSONValue = [
            "strapi::errors", "strapi::security", "strapi::cors", "strapi::query", "strapi::body", "strapi::favicon", "strapi::public",
            ["name": "strapi::ip", "config": ["blacklist": ["^10\\.1\\.2\\.3$"]]],
        ]
        try await TestStrata.run(Self.project(middlewares: list)) { _, client in
            let unproxied = try await client.send(.get, "/api/products", headers: [Self.forwarded: "10.1.2.3"]).status
            #expect(unproxied == 200,
                    "without server.proxy the header is the client's word")
        }
        try await TestStrata.run(Self.project(middlewares: list, server: ["proxy": ["koa": true]])) { _, client in
            let blocked = try await client.send(.get, "/api/products", headers: [Self.forwarded: "10.1.2.3, 172.16.0.1"])
            #expect(blocked.status == 403)
            #expect(blocked.error?["name"] == "ForbiddenError")
            let other = try await client.send(.get, "/api/products", headers: [Self.forwarded: "10.9.9.9"]).status
            #expect(other == 200)
        }
        let allow: JSONValue = [
            "strapi::errors", "strapi::security", "strapi::cors", "strapi::query", "strapi::body", "strapi::favicon", "strapi::public",
            ["name": "strapi::ip", "config": ["whitelist": ["^192\\.168\\."]]],
        ]
        try await TestStrata.run(Self.project(middlewares: allow, server: ["proxy": true])) { _, client in
            let allowed = try await client.send(.get, "/api/products", headers: [Self.forwarded: "192.168.1.5"]).status
            #expect(allowed == 200)
            let refused = try await client.send(.get, "/api/products", headers: [Self.forwarded: "10.0.0.1"]).status
            #expect(refused == 403)
        }
    }

    @Test("strapi::body jsonLimit and formLimit bound bodies with Strapi's 413")
    func bodyLimits() async throws {
        let project = Self.project(middlewares: [
            "strapi::errors", "strapi::security", "strapi::cors", "strapi::query", "strapi::favicon", "strapi::public",
            ["name": "strapi::body", "config": ["jsonLimit": "1kb", "formLimit": "200b"]],
        ])
        try await TestStrata.run(project) { _, client in
            let big = try await client.post("/api/products", json: ["data": ["name": .string(String(repeating: "x", count: 2000))]])
            #expect(big.status == 413)
            #expect(big.error?["name"] == "PayloadTooLargeError")
            #expect(big.error?["message"] == "request entity too large")
            #expect(try await client.post("/api/products", json: ["data": ["name": "ok"]]).status == 201)
            let form = try await client.send("POST", "/api/products", body: "data[name]=" + String(repeating: "y", count: 300), contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 413)
        }
    }

    @Test("strapi::favicon answers /favicon.ico from the project's favicon.png")
    func favicon() async throws {
        var project = Self.project()
        project.files["favicon.png"] = "PNGDATA"
        try await TestStrata.run(project) { _, client in
            let icon = try await client.get("/favicon.ico")
            #expect(icon.status == 200)
            #expect(icon.text == "PNGDATA")
            #expect(icon.header("content-type") == "image/x-icon")
            #expect(icon.header("cache-control") == "public, max-age=86400")
            #expect(try await client.send("DELETE", "/favicon.ico").status == 405)
        }
    }

    @Test("config/env/<NODE_ENV>/*.json is merged over config/*.json, as Strapi merges its env folder")
    func environmentOverrides() async throws {
        var project = Self.project()
        project.config["api"] = ["rest": ["defaultLimit": 5, "maxLimit": 50]]
        project.files[".env"] = "NODE_ENV=production\n"
        project.files["config/env/production/api.json"] = #"{"rest":{"defaultLimit":2}}"#
        project.files["config/env/development/api.json"] = #"{"rest":{"defaultLimit":9}}"#
        try await TestStrata.run(project) { _, client in
            let page = try await client.get("/api/products")
            #expect(page.meta?["pagination"]?["pageSize"] == 2, "\(page.text)")
            let capped = try await client.get("/api/products?pagination[pageSize]=80")
            #expect(capped.meta?["pagination"]?["pageSize"] == 50, "keys the override does not name are kept")
        }
    }

    @Test("strapi::compression gzips or deflates large compressible answers as Accept-Encoding asks")
    func compression() async throws {
        let project = Self.project(middlewares: [
            "strapi::errors", "strapi::security", "strapi::cors", "strapi::query", "strapi::body", "strapi::favicon", "strapi::public",
            ["name": "strapi::compression", "config": ["threshold": 512]],
        ])
        try await TestStrata.run(project) { _, client in
            for index in 0..<20 { _ = try await client.post("/api/products", json: ["data": ["name": .string("Product number \(index)")]]) }
            let plain = try await client.get("/api/products")
            #expect(plain.header("content-encoding") == nil)
            #expect(plain.header("vary")?.contains("Accept-Encoding") == true)
            for (accept, expected) in [("gzip, deflate, br", "gzip"), ("deflate", "deflate"), ("br;q=1, gzip;q=0.5", "gzip"), ("*", "gzip"), ("deflate;q=1, gzip;q=0.2", "deflate")] {
                let response = try await client.send(.get, "/api/products", headers: [.acceptEncoding: accept])
                #expect(response.header("content-encoding") == expected, "\(accept)")
                var compressed = ByteBuffer(bytes: response.body)
                var inflated = try compressed.decompress(with: expected == "gzip" ? .gzip() : .deflate())
                #expect(inflated.readString(length: inflated.readableBytes) == plain.text, "\(accept) round trip")
                #expect(response.body.count < plain.body.count)
            }
            let small = try await client.send(.get, "/api/products/zzzzzzzzzzzzzzzzzzzzzzzz", headers: [.acceptEncoding: "gzip"])
            #expect(small.header("content-encoding") == nil, "below the threshold")
            let refused = try await client.send(.get, "/api/products", headers: [.acceptEncoding: "gzip;q=0, identity"])
            #expect(refused.header("content-encoding") == nil)
        }
    }
}
