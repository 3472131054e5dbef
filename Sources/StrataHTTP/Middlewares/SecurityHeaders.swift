public import HTTPTypes
public import StrataCore

/// The response headers of Strapi's `strapi::security` middleware (helmet 6 with Strapi's
/// options), worked out once from the configuration.
///
/// The configuration is the middleware's `config` in `config/middlewares.json`, merged over
/// Strapi's defaults as Strapi merges it (lodash `defaultsDeep`); each helmet option may be
/// `false` to drop its header.
public struct SecurityHeaders: Sendable {
    public let fields: [(name: HTTPField.Name, value: String)]

    /// Strapi's options for helmet.
    public static let strapiDefaults: JSONValue = [
        "crossOriginEmbedderPolicy": false,
        "crossOriginOpenerPolicy": false,
        "crossOriginResourcePolicy": false,
        "originAgentCluster": false,
        "contentSecurityPolicy": [
            "useDefaults": true,
            "directives": [
                "connect-src": ["'self'", "https:"],
                "img-src": ["'self'", "data:", "blob:", "https://market-assets.strapi.io"],
                "media-src": ["'self'", "data:", "blob:"],
                "upgradeInsecureRequests": .null,
            ],
        ],
        "xssFilter": false,
        "hsts": ["maxAge": 31_536_000, "includeSubDomains": true],
        "frameguard": ["action": "sameorigin"],
    ]

    /// helmet 6's own CSP directives, appended after the configured ones when `useDefaults`.
    static let helmetDirectives: [(String, [String])] = [
        ("default-src", ["'self'"]), ("base-uri", ["'self'"]), ("font-src", ["'self'", "https:", "data:"]),
        ("form-action", ["'self'"]), ("frame-ancestors", ["'self'"]), ("img-src", ["'self'", "data:"]),
        ("object-src", ["'none'"]), ("script-src", ["'self'"]), ("script-src-attr", ["'none'"]),
        ("style-src", ["'self'", "https:", "'unsafe-inline'"]), ("upgrade-insecure-requests", []),
    ]

    /// The headers for a `strapi::security` configuration (`nil`: Strapi's defaults).
    public init(configuration: JSONValue? = nil) throws(ConfigurationProblem) {
        let options = (configuration ?? .object([:])).withDefaults(Self.strapiDefaults)
        guard case .object = options else { throw ConfigurationProblem("strapi::security: config must be an object") }
        var fields: [(HTTPField.Name, String)] = []
        func add(_ name: String, _ value: String) {
            if let field = HTTPField.Name(name) { fields.append((field, value)) }
        }
        func enabled(_ key: String, byDefault: Bool = true) -> JSONValue? {
            let value = options[key]
            switch value {
            case nil: return byDefault ? .object([:]) : nil
            case .bool(false)?, .null?: return nil
            case .bool(true)?: return .object([:])
            default: return value
            }
        }
        if let csp = enabled("contentSecurityPolicy") { add("Content-Security-Policy", try Self.contentSecurityPolicy(csp)) }
        if let coep = enabled("crossOriginEmbedderPolicy") { add("Cross-Origin-Embedder-Policy", coep["policy"]?.stringValue ?? "require-corp") }
        if let coop = enabled("crossOriginOpenerPolicy") { add("Cross-Origin-Opener-Policy", coop["policy"]?.stringValue ?? "same-origin") }
        if let corp = enabled("crossOriginResourcePolicy") { add("Cross-Origin-Resource-Policy", corp["policy"]?.stringValue ?? "same-origin") }
        if enabled("originAgentCluster") != nil { add("Origin-Agent-Cluster", "?1") }
        if let referrer = enabled("referrerPolicy") {
            let policy = referrer["policy"]
            add("Referrer-Policy", policy?.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? policy?.stringValue ?? "no-referrer")
        }
        if let hsts = enabled("hsts") ?? enabled("strictTransportSecurity", byDefault: false) {
            var value = "max-age=\(hsts["maxAge"]?.intValue ?? 15_552_000)"
            if hsts["includeSubDomains"] != .bool(false) { value += "; includeSubDomains" }
            if hsts["preload"] == .bool(true) { value += "; preload" }
            add("Strict-Transport-Security", value)
        }
        if enabled("noSniff") != nil, enabled("xContentTypeOptions") != nil { add("X-Content-Type-Options", "nosniff") }
        if let dns = enabled("dnsPrefetchControl") { add("X-DNS-Prefetch-Control", dns["allow"] == .bool(true) ? "on" : "off") }
        if enabled("ieNoOpen") != nil { add("X-Download-Options", "noopen") }
        if let frame = enabled("frameguard") { add("X-Frame-Options", (frame["action"]?.stringValue ?? "sameorigin").uppercased()) }
        if let policies = enabled("permittedCrossDomainPolicies") { add("X-Permitted-Cross-Domain-Policies", policies["permittedPolicies"]?.stringValue ?? "none") }
        if enabled("xssFilter") != nil { add("X-XSS-Protection", "0") }
        self.fields = fields
    }

    /// `Content-Security-Policy` as helmet 6 writes it: the configured directives in their order
    /// (camelCase names in kebab-case), then helmet's defaults for the ones not named; a `null`
    /// removes a directive, an empty list writes its bare name; `;` between directives.
    static func contentSecurityPolicy(_ options: JSONValue) throws(ConfigurationProblem) -> String {
        let useDefaults = options["useDefaults"] != .bool(false)
        var directives: [(String, [String]?)] = []
        for (key, value) in options["directives"]?.objectValue ?? [:] {
            let name = kebabCase(key)
            if directives.contains(where: { $0.0 == name }) {
                throw ConfigurationProblem("strapi::security: contentSecurityPolicy.directives has \(name) twice")
            }
            switch value {
            case .null: directives.append((name, nil))
            case .string(let text): directives.append((name, [text]))
            case .array(let items): directives.append((name, items.compactMap(\.stringValue)))
            case .bool(true): directives.append((name, []))
            default: throw ConfigurationProblem("strapi::security: contentSecurityPolicy.directives.\(key) must be a list of sources")
            }
        }
        if useDefaults {
            for (name, sources) in helmetDirectives where !directives.contains(where: { $0.0 == name }) {
                directives.append((name, sources))
            }
        }
        return directives.compactMap { name, sources in
            guard let sources else { return nil }
            return sources.isEmpty ? name : name + " " + sources.joined(separator: " ")
        }.joined(separator: ";")
    }

    /// `imgSrc` → `img-src`; names already in kebab-case stay.
    static func kebabCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A configuration value Strata cannot use; start-up stops with its message.
public struct ConfigurationProblem: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
