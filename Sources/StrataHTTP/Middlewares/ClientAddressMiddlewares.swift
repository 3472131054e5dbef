public import Hummingbird
import HTTPTypes
public import StrataCore

/// `server.proxy` (`{koa: true}`): behind a reverse proxy, the client's address is the first of
/// `X-Forwarded-For` (or of the last `maxIpsCount` entries), as Koa's `ctx.ip`; rate limits, IP
/// filters and logs then see the real client. Without it the header is ignored: any client can
/// send one.
public struct ProxyHeadersMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    /// The header naming the client chain (`X-Forwarded-For` unless configured).
    public let header: HTTPField.Name
    /// How many entries from the right to consider; `nil` for all.
    public let maxIpsCount: Int?

    public init(header: String = "X-Forwarded-For", maxIpsCount: Int? = nil) {
        self.header = HTTPField.Name(header) ?? HTTPField.Name("X-Forwarded-For")!
        self.maxIpsCount = maxIpsCount
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let value = request.headers[header] else { return try await next(request, context) }
        var addresses = value.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        if let maxIpsCount, maxIpsCount > 0, addresses.count > maxIpsCount { addresses = Array(addresses.suffix(maxIpsCount)) }
        guard let client = addresses.first else { return try await next(request, context) }
        var context = context
        context.forwardedAddress = client
        return try await next(request, context)
    }
}

/// `strapi::ip`: `whitelist` and `blacklist` of regular expressions matched against the
/// client's address; a refused client gets 403 `ForbiddenError`.
public struct IPFilterMiddleware: RouterMiddleware {
    public typealias Context = StrataRequestContext

    let whitelist: [Pattern]
    let blacklist: [Pattern]

    /// A compiled pattern. `Regex` is not `Sendable` (it may hold a custom component); these are
    /// parsed from strings only, immutable, and only matched, which is safe from any thread.
    struct Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
        func matches(_ text: String) -> Bool { text.contains(regex) }
    }

    public init(configuration: JSONValue?) throws(ConfigurationProblem) {
        func patterns(_ key: String) throws(ConfigurationProblem) -> [Pattern] {
            guard let value = configuration?[key], value != .null else { return [] }
            guard let items = value.arrayValue else { throw ConfigurationProblem("strapi::ip: \(key) must be a list of patterns") }
            var result: [Pattern] = []
            for item in items {
                guard let text = item.stringValue, let regex = try? Regex(text) else {
                    throw ConfigurationProblem("strapi::ip: \(key) holds an invalid pattern \(item)")
                }
                result.append(Pattern(regex: regex))
            }
            return result
        }
        whitelist = try patterns("whitelist")
        blacklist = try patterns("blacklist")
    }

    /// Whether `address` may call the server.
    func allows(_ address: String) -> Bool {
        if !whitelist.isEmpty, !whitelist.contains(where: { $0.matches(address) }) { return false }
        return !blacklist.contains { $0.matches(address) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard allows(context.remoteAddress ?? "") else { throw ForbiddenError() }
        return try await next(request, context)
    }
}
