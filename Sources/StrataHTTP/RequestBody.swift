public import Hummingbird
import NIOCore
public import StrataCore

extension Request {
    /// Reads and parses the body as JSON (or as a qs-encoded form), bounded by the context's
    /// upload limit. Malformed bodies are a 400, oversized ones a 413.
    public mutating func decodeJSONBody(context: some RequestContext) async throws -> JSONValue? {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: context.maxUploadSize)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw PayloadTooLargeError("request entity too large")
        }
        guard buffer.readableBytes > 0 else { return nil }
        let bytes = Array(buffer.readableBytesView)
        let contentType = headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            return .object(QueryString.parse(Substring(String(decoding: bytes, as: UTF8.self))))
        }
        if !contentType.isEmpty && !contentType.contains("json") {
            throw UnsupportedMediaTypeError()
        }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw BadRequestError("Invalid JSON body: \(error)")
        }
    }
}

/// A body in a format Strata does not read (415).
public struct UnsupportedMediaTypeError: StrataError {
    public var name: String { "UnsupportedMediaTypeError" }
    public var message: String { "Unsupported Media Type" }
    public var status: Int { 415 }
    public init() {}
}
