import CompressNIO
public import Hummingbird
import HTTPTypes
import NIOCore
public import StrataCore

/// `strapi::compression` (koa-compress): gzip or deflate, as the request's `Accept-Encoding`
/// prefers (gzip on a tie or for `*`), for compressible responses of at least `threshold` bytes;
/// every response it considers varies on `Accept-Encoding`. Brotli is not available here (no
/// library), so `br` is never chosen. Bodies are compressed whole, so only responses of known
/// length up to 16 MiB are (JSON, and static files such as scripts and SVGs).
public struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Bytes below which a body is sent as is (koa-compress's 1024).
    public let threshold: Int
    static var maximumLength: Int { 16 << 20 }

    public init(threshold: Int = 1024) {
        self.threshold = threshold
    }

    /// koa-compress's options: `threshold` (bytes or a size such as `2kb`); the per-encoding
    /// options are accepted and ignored.
    public init(configuration: JSONValue?) throws(ConfigurationProblem) {
        guard let threshold = configuration?["threshold"], threshold != .null else {
            self.init()
            return
        }
        guard let bytes = threshold.intValue, bytes >= 0 else { throw ConfigurationProblem("strapi::compression: threshold must be a number of bytes") }
        self.init(threshold: Int(clamping: bytes))
    }

    enum Encoding: String {
        case gzip
        case deflate
    }

    /// The encoding to use for an `Accept-Encoding` value, `nil` for none.
    static func negotiate(_ header: String?) -> Encoding? {
        guard let header else { return nil }
        var best: (Encoding, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: " ").lowercased() }
            guard let name = pieces.first else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            let candidates: [Encoding]
            switch name {
            case "gzip", "x-gzip": candidates = [.gzip]
            case "deflate": candidates = [.deflate]
            case "*": candidates = [.gzip, .deflate]
            default: continue
            }
            for candidate in candidates {
                // Prefer gzip over deflate at equal quality, as koa-compress.
                if let current = best, current.1 > quality || (current.1 == quality && current.0 == .gzip) { continue }
                best = (candidate, quality)
            }
        }
        return best?.0
    }

    static func isCompressible(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: " ").lowercased() else { return false }
        return type.hasPrefix("text/") || type.hasSuffix("+json") || type.hasSuffix("+xml") || [
            "application/json", "application/javascript", "application/xml", "image/svg+xml", "application/x-javascript",
            "application/manifest+json", "application/wasm",
        ].contains(type)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method != .head, response.status != .noContent, response.status != .notModified,
            response.headers[.contentEncoding] == nil, Self.isCompressible(response.headers[.contentType])
        else { return response }
        response.headers.appendVary("Accept-Encoding")
        guard let length = response.body.contentLength, length >= threshold, length <= Self.maximumLength,
            response.headers[.cacheControl]?.lowercased().contains("no-transform") != true,
            let encoding = Self.negotiate(request.headers[.acceptEncoding])
        else { return response }
        let collected = CollectedBody(capacity: length)
        try await response.body.write(CollectedBody.Writer(target: collected))
        var body = collected.buffer
        let compressed = try body.compress(with: encoding == .gzip ? .gzip() : .deflate())
        response.headers[.contentEncoding] = encoding.rawValue
        response.headers[.contentLength] = String(compressed.readableBytes)
        response.body = ResponseBody(byteBuffer: compressed)
        return response
    }
}

/// A response body's bytes, collected by its ``Writer`` (which the body consumes). Used by one
/// task, while one response is written.
final class CollectedBody: @unchecked Sendable {
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
    }

    struct Writer: ResponseBodyWriter {
        let target: CollectedBody

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            target.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
