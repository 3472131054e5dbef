import Hummingbird
import StrataCore
import StrataHTTP
import StrataModule

/// Limits how often one client may call the `/auth` routes (Strapi's `ratelimit`), answering
/// 429 `RateLimitError` past `max` requests per window.
struct RateLimitPolicy: RoutePolicy {
    let max: Int
    let interval: Duration
    let state = LockedValue<[String: (start: ContinuousClock.Instant, count: Int)]>([:])

    init(max: Int, intervalMilliseconds: Int) {
        self.max = max
        self.interval = .milliseconds(intervalMilliseconds)
    }

    func check(_ request: Request, _ context: StrataRequestContext) async throws {
        let client = context.remoteAddressDescription
        // Paths arrive without empty segments (PathNormalizationMiddleware); `/a/` routes as `/a`.
        var path = Substring(request.uri.path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        let key = "\(client) \(request.method) \(path)"
        let now = ContinuousClock.now
        let allowed = state.withLock { entries -> Bool in
            if entries.count > 10_000 { entries = entries.filter { now - $0.value.start < interval } }
            var entry = entries[key] ?? (now, 0)
            if now - entry.start >= interval { entry = (now, 0) }
            entry.count += 1
            entries[key] = entry
            return entry.count <= max
        }
        guard allowed else { throw RateLimitError() }
    }
}

extension StrataRequestContext {
    /// The client address, for rate limiting.
    var remoteAddressDescription: String {
        remoteAddress ?? "unknown"
    }
}
