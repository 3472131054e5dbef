public import Hummingbird
import HTTPTypes
public import StrataCore

/// `strapi::cors` (`@koa/cors` with Strapi's options), so a front end on another origin can call
/// the API from a browser.
///
/// - Every response varies on `Origin`.
/// - The allowed origin is the request's `Origin` when the list holds it or `*`; with
///   credentials, `*` is never sent: the request's origin is (empty when it sent none, as Strapi).
/// - A preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is
///   answered here, 204 with the allowed methods and headers and `Access-Control-Max-Age`.
/// - A request from an origin not in the list gets no CORS headers: the browser refuses it.
public struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    public struct Options: Sendable, Equatable {
        /// Allowed origins; `["*"]` allows any.
        public var origins: [String] = ["*"]
        public var methods: [String] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        /// Request headers a preflight allows; empty echoes the requested ones.
        public var headers: [String] = ["Content-Type", "Authorization", "Origin", "Accept"]
        /// Response headers scripts may read (`Access-Control-Expose-Headers`).
        public var expose: [String] = []
        public var credentials = true
        /// Seconds a browser may cache a preflight; `nil` sends no `Access-Control-Max-Age`.
        public var maxAge: Int? = 31_536_000

        public init() {}

        /// Strapi's `strapi::cors` config over its defaults: `origin` (a list, `*`, or a
        /// comma-separated string), `methods`, `headers` (lists or comma-separated strings),
        /// `expose`, `credentials`, `maxAge`, `keepHeadersOnError` (headers are always kept: errors
        /// are rendered inside this middleware).
        public init(configuration: JSONValue?) throws(ConfigurationProblem) {
            self.init()
            guard let configuration, configuration != .null else { return }
            guard case .object(let object) = configuration else { throw ConfigurationProblem("strapi::cors: config must be an object") }
            for (key, value) in object {
                switch key {
                case "origin": origins = try Self.list(value, key) ?? ["*"]
                case "methods": methods = try Self.list(value, key) ?? methods
                case "headers": headers = try Self.list(value, key) ?? []
                case "expose", "exposeHeaders": expose = try Self.list(value, key) ?? []
                case "credentials":
                    guard let flag = value.boolValue else { throw ConfigurationProblem("strapi::cors: credentials must be a boolean") }
                    credentials = flag
                case "maxAge":
                    if value == .null { maxAge = nil; continue }
                    guard let seconds = value.intValue ?? value.stringValue.flatMap({ Int64($0) }) else {
                        throw ConfigurationProblem("strapi::cors: maxAge must be a number of seconds")
                    }
                    maxAge = Int(clamping: seconds)
                case "keepHeadersOnError", "keepHeaderOnError", "enabled", "privateNetworkAccess", "secureContext":
                    continue
                default:
                    throw ConfigurationProblem("strapi::cors: unknown option \(key)")
                }
            }
        }

        static func list(_ value: JSONValue, _ key: String) throws(ConfigurationProblem) -> [String]? {
            switch value {
            case .null: return nil
            case .string(let text):
                return text.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
            case .array(let items):
                var result: [String] = []
                for item in items {
                    guard let text = item.stringValue else { throw ConfigurationProblem("strapi::cors: \(key) must hold strings") }
                    result.append(text)
                }
                return result
            default:
                throw ConfigurationProblem("strapi::cors: \(key) must be a string or a list of strings")
            }
        }
    }

    public let options: Options
    let methods: String
    let headers: String
    let expose: String
    let maxAge: String?

    public init(options: Options = Options()) {
        self.options = options
        methods = options.methods.joined(separator: ",")
        headers = options.headers.joined(separator: ",")
        expose = options.expose.joined(separator: ",")
        maxAge = options.maxAge.map(String.init)
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`; `nil` when not allowed.
    func allowedOrigin(_ requestOrigin: String?) -> String? {
        let origin = requestOrigin ?? ""
        var allowed: String
        if origin.isEmpty || options.origins.contains("*") {
            allowed = origin.isEmpty ? "*" : origin
        } else if options.origins.contains(origin) {
            allowed = origin
        } else {
            return nil
        }
        if options.credentials, allowed == "*" { allowed = origin }
        return allowed
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestOrigin = request.headers[.origin]
        guard let origin = allowedOrigin(requestOrigin) else {
            var response = try await next(request, context)
            response.headers.appendVary("Origin")
            return response
        }
        if request.method == .options, let requested = request.headers[.accessControlRequestMethod], !requested.isEmpty {
            var response = Response(status: .noContent)
            response.headers[.vary] = "Origin"
            response.headers[.accessControlAllowOrigin] = origin
            if options.credentials { response.headers[.accessControlAllowCredentials] = "true" }
            if let maxAge { response.headers[.accessControlMaxAge] = maxAge }
            if !methods.isEmpty { response.headers[.accessControlAllowMethods] = methods }
            let allowedHeaders = headers.isEmpty ? request.headers[.accessControlRequestHeaders] ?? "" : headers
            if !allowedHeaders.isEmpty { response.headers[.accessControlAllowHeaders] = allowedHeaders }
            return response
        }
        var response = try await next(request, context)
        response.headers.appendVary("Origin")
        response.headers[.accessControlAllowOrigin] = origin
        if options.credentials { response.headers[.accessControlAllowCredentials] = "true" }
        if !expose.isEmpty { response.headers[.accessControlExposeHeaders] = expose }
        return response
    }
}

extension HTTPFields {
    /// Adds `name` to `Vary` unless it is already there.
    mutating func appendVary(_ name: String) {
        guard let existing = self[.vary], !existing.isEmpty else {
            self[.vary] = name
            return
        }
        let names = existing.split(separator: ",").map { $0.trimmingCharacters(in: " ").lowercased() }
        if names.contains(name.lowercased()) || names.contains("*") { return }
        self[.vary] = existing + ", " + name
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
