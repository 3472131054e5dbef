/// A `multipart/form-data` body as browsers and Strapi clients build it, for upload tests.
public struct MultipartBody: Sendable {
    public let boundary: String
    public private(set) var bytes: [UInt8] = []

    public init(boundary: String = "----StrataTestBoundary7MA4YWxkTrZu0gW") {
        self.boundary = boundary
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Adds a text field.
    public mutating func field(_ name: String, _ value: String) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n")
        append(value)
        append("\r\n")
    }

    /// Adds a file part; `disposition` replaces the whole `Content-Disposition` value when given.
    public mutating func file(_ name: String = "files", filename: String, contentType: String? = "application/octet-stream", bytes: [UInt8], disposition: String? = nil) {
        append("--\(boundary)\r\nContent-Disposition: \(disposition ?? "form-data; name=\"\(name)\"; filename=\"\(filename)\"")\r\n")
        if let contentType { append("Content-Type: \(contentType)\r\n") }
        append("\r\n")
        self.bytes += bytes
        append("\r\n")
    }

    /// The body with its closing boundary.
    public var finished: [UInt8] {
        bytes + Array("--\(boundary)--\r\n".utf8)
    }

    private mutating func append(_ text: String) {
        bytes += Array(text.utf8)
    }
}
