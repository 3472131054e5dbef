import Foundation
import Hummingbird
import HTTPTypes
import StrataHTTP

/// `strapi::favicon` (koa-favicon): `/favicon.ico` answers the project's `favicon.png` (or
/// `favicon.ico` when the configured file is missing) as `image/x-icon`, cached for a day; other
/// methods than GET, HEAD and OPTIONS are a 405. Read once at start-up.
struct FaviconMiddleware: RouterMiddleware {
    typealias Context = StrataRequestContext

    let icon: [UInt8]?

    init(projectDirectory: String, path: String) {
        let candidates = [path, "favicon.ico"].map { $0.hasPrefix("/") ? $0 : projectDirectory + "/" + $0 }
        icon = candidates.lazy.compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }.first
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/favicon.ico", let icon else { return try await next(request, context) }
        let allow = "GET, HEAD, OPTIONS"
        switch request.method {
        case .options:
            return Response(status: .ok, headers: [.allow: allow])
        case .get, .head:
            let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: icon))
            return Response(status: .ok, headers: [.contentType: "image/x-icon", .cacheControl: "public, max-age=86400", .contentLength: String(icon.count)], body: body)
        default:
            return Response(status: .methodNotAllowed, headers: [.allow: allow])
        }
    }
}
