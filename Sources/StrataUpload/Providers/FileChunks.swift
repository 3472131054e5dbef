import Crypto
import Foundation
import StrataCore
import NIOCore
import NIOPosix

/// A byte range of a file as an async sequence of buffers, for streamed request bodies.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let offset: Int64
    let length: Int64
    static let chunkSize = 256 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        let openError: (any Error)?
        var remaining: Int64

        mutating func next() async throws -> ByteBuffer? {
            if let openError { throw openError }
            guard let handle, remaining > 0 else {
                try? handle?.close()
                return nil
            }
            let count = Int(Swift.min(Int64(FileChunks.chunkSize), remaining))
            guard let data = try handle.read(upToCount: count), !data.isEmpty else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the file ended early"])
            }
            remaining -= Int64(data.count)
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            try handle.seek(toOffset: UInt64(offset))
            return AsyncIterator(handle: handle, openError: nil, remaining: length)
        } catch {
            return AsyncIterator(handle: nil, openError: error, remaining: 0)
        }
    }
}

/// Digests of file ranges, read in chunks on the blocking pool.
enum FileDigest {
    static func sha256(path: String, offset: Int64, length: Int64) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            var hasher = SHA256()
            var remaining = length
            while remaining > 0 {
                guard let data = try handle.read(upToCount: Int(min(Int64(1 << 20), remaining))), !data.isEmpty else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the file ended early"])
                }
                hasher.update(data: data)
                remaining -= Int64(data.count)
            }
            return hasher.finalize().hexString
        }
    }
}
