import Foundation
public import Hummingbird
import MultipartKit
import NIOCore
import StrataCore
import StrataHTTP
public import StrataUpload

/// A multipart upload received part by part: file parts stream into temporary files (a 1 GB
/// upload never needs 1 GB of memory), text fields are kept, limits apply while reading.
public struct MultipartUpload: Sendable {
    /// The `files` parts, in order.
    public var files: [IncomingFile]
    /// Text fields (`fileInfo`, `ref`, `refId`, `field`…).
    public var fields: [String: String]
    /// Holds the files; removed by ``cleanUp()``.
    public let directory: String

    /// Removes the temporary files.
    public func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The `boundary` of a `multipart/form-data` content type, or `nil` for other bodies.
    public static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for (key, value) in ContentDisposition.parameters(contentType) where key == "boundary" {
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Reads a multipart body. Files over `fileSizeLimit` are a 413 naming the file; text fields
    /// over `fieldSizeLimit` in total, malformed or truncated bodies are a 400.
    ///
    /// A request holds at most `maxFiles` files of at most `totalSizeLimit` bytes together (a
    /// 400 and a 413), so one request cannot fill the temporary folder.
    public static func receive(_ request: Request, boundary: String, fileSizeLimit: Int64, fieldSizeLimit: Int,
                               maxFiles: Int = UploadConfiguration.defaultMaxFiles, totalSizeLimit: Int64 = .max,
                               limitMessage: @escaping @Sendable (String) -> String) async throws -> MultipartUpload {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-upload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let collector = PartCollector(directory: directory, fileSizeLimit: fileSizeLimit, fieldSizeLimit: fieldSizeLimit, limitMessage: limitMessage)
        collector.maxFiles = maxFiles
        collector.totalSizeLimit = totalSizeLimit
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { collector.header($0, $1) }
        parser.onBody = { collector.body(&$0) }
        parser.onPartComplete = { collector.complete() }
        do {
            for try await chunk in request.body {
                do {
                    try parser.execute(chunk)
                } catch {
                    throw BadRequestError("Malformed multipart body")
                }
                if let failure = collector.failure { throw failure }
            }
            collector.finish()
            if let failure = collector.failure { throw failure }
        } catch {
            collector.closeFile()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        return MultipartUpload(files: collector.files, fields: collector.fields, directory: directory)
    }
}

/// The parser's callbacks' state. Used by one task only (the request's), never shared.
private final class PartCollector {
    let directory: String
    let fileSizeLimit: Int64
    let fieldSizeLimit: Int
    let limitMessage: (String) -> String
    var maxFiles = Int.max
    var totalSizeLimit = Int64.max
    private var totalSize: Int64 = 0

    var files: [IncomingFile] = []
    var fields: [String: String] = [:]
    var failure: (any Error)?

    private var headers: [String: String] = [:]
    private var started = false
    private var disposition = ContentDisposition()
    private var handle: FileHandle?
    private var filePath: String?
    private var fileSize: Int64 = 0
    /// The parser hands over bytes between CRs (every ~256 bytes of binary data): writes are
    /// batched so a large upload costs a few hundred system calls, not hundreds of thousands.
    private var pending: [UInt8] = []
    private static let flushThreshold = 1 << 20
    private var fieldBytes: [UInt8] = []
    private var fieldTotal = 0
    private var skipping = false

    init(directory: String, fileSizeLimit: Int64, fieldSizeLimit: Int, limitMessage: @escaping (String) -> String) {
        self.directory = directory
        self.fileSizeLimit = fileSizeLimit
        self.fieldSizeLimit = fieldSizeLimit
        self.limitMessage = limitMessage
    }

    func header(_ name: String, _ value: String) {
        headers[name.lowercased()] = value
    }

    /// Called before a part's first body bytes (or at its end when it is empty).
    private func start() {
        guard !started else { return }
        started = true
        disposition = ContentDisposition(headers["content-disposition"] ?? "")
        guard disposition.filename != nil else { return }
        // Only the `files` field carries uploads, as in Strapi; other file parts are read and dropped.
        guard disposition.name == "files" else {
            skipping = true
            return
        }
        guard files.count < maxFiles else {
            failure = ValidationError("Too many files: a request may upload at most \(maxFiles)")
            return
        }
        let path = "\(directory)/\(files.count)"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            failure = ApplicationError("Could not store the upload in a temporary file")
            return
        }
        self.handle = handle
        filePath = path
        fileSize = 0
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        start()
        if skipping { return }
        if handle != nil {
            fileSize += Int64(buffer.readableBytes)
            totalSize += Int64(buffer.readableBytes)
            if fileSize > fileSizeLimit {
                failure = PayloadTooLargeError(limitMessage(disposition.filename ?? "file"))
                return
            }
            if totalSize > totalSizeLimit {
                failure = PayloadTooLargeError("The files of this request exceed their total size limit of \(totalSizeLimit) bytes")
                return
            }
            pending.append(contentsOf: buffer.readableBytesView)
            if pending.count >= Self.flushThreshold { flush() }
        } else if failure == nil {
            fieldTotal += buffer.readableBytes
            guard fieldTotal <= fieldSizeLimit else {
                failure = PayloadTooLargeError("request entity too large")
                return
            }
            fieldBytes.append(contentsOf: buffer.readableBytesView)
        }
    }

    private func flush() {
        guard let handle, !pending.isEmpty else { return }
        do {
            try handle.write(contentsOf: pending)
        } catch {
            failure = ApplicationError("Could not store the upload in a temporary file: \(error.localizedDescription)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    func complete() {
        guard failure == nil else { return }
        start()
        if let path = filePath {
            flush()
            closeFile()
            if failure != nil { return }
            files.append(IncomingFile(filename: disposition.filename ?? "", mime: headers["content-type"], path: path, size: fileSize))
        } else if !skipping, let name = disposition.name {
            fields[name] = String(decoding: fieldBytes, as: UTF8.self)
        }
        headers = [:]
        started = false
        skipping = false
        filePath = nil
        fieldBytes = []
    }

    /// The body ended: a part still open means it was cut short.
    func finish() {
        if failure == nil, started || !headers.isEmpty {
            failure = BadRequestError("Malformed multipart body: the body ended inside a part")
        }
    }

    func closeFile() {
        pending.removeAll()
        try? handle?.close()
        handle = nil
    }
}
