public import Hummingbird

/// Gives every request its canonical path before routing: empty segments are dropped
/// (`//api//auth/local` is `/api/auth/local`), so everything after it — routes, the auth rate
/// limit, logs — sees one path per resource. Without it `//api/auth/local` and
/// `/api//auth/local` reached the same route with rate-limit budgets of their own. A trailing
/// slash is kept: it means a folder to the public files (`/uploads/`), and the router already
/// treats `/a/` as `/a`.
public struct PathNormalizationMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let target = request.head.path, let canonical = Self.canonical(target) else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = canonical
        return try await next(Request(head: head, body: request.body), context)
    }

    /// The request target with its path made canonical, or `nil` when it already is (the
    /// common case, decided without allocating).
    public static func canonical(_ target: String) -> String? {
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        let slash = UInt8(ascii: "/")
        var previous: UInt8 = 0
        var needsWork = false
        for byte in path.utf8 {
            if byte == slash && previous == slash { needsWork = true; break }
            previous = byte
        }
        guard needsWork else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let query = target[path.endIndex...]
        let trailing = segments.isEmpty || path.utf8.last != slash ? "" : "/"
        return "/" + segments.joined(separator: "/") + trailing + query
    }
}
