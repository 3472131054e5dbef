import Foundation

/// A pull-based stream of bytes: each layer of an archive (file, cipher, gzip) reads from the
/// one below in bounded chunks, so memory stays flat whatever the archive's size.
public protocol ByteSource: AnyObject {
    /// Up to `count` bytes; an empty array means the end of the stream.
    func read(upTo count: Int) throws -> [UInt8]
}

/// A push-based byte stream: tar → gzip → cipher → file when writing an archive.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Flushes trailing state (gzip trailer, cipher padding) and closes the layer below.
    func close() throws
}

/// Reads a file in chunks.
public final class FileByteSource: ByteSource {
    private let handle: FileHandle

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ArchiveError.unreadable(path)
        }
        self.handle = handle
    }

    public func read(upTo count: Int) throws -> [UInt8] {
        guard let data = try handle.read(upToCount: count) else { return [] }
        return [UInt8](data)
    }

    deinit { try? handle.close() }
}

/// Writes a file, creating or truncating it.
public final class FileByteSink: ByteSink {
    private let handle: FileHandle
    private var closed = false

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw ArchiveError.unwritable(path) }
        self.handle = handle
    }

    public func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try handle.synchronize()
        try handle.close()
    }

    deinit { if !closed { try? handle.close() } }
}

/// Collects bytes in memory (tests, small entries).
public final class MemoryByteSink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: [UInt8]) throws { self.bytes.append(contentsOf: bytes) }
    public func close() throws {}
}

/// Serves bytes from memory (tests, small entries).
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func read(upTo count: Int) throws -> [UInt8] {
        let end = offset + min(max(count, 0), bytes.count - offset)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

extension ByteSource {
    /// Reads exactly `count` bytes, or fewer only at the end of the stream.
    func readFully(_ count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            let chunk = try read(upTo: count - result.count)
            if chunk.isEmpty { break }
            result.append(contentsOf: chunk)
        }
        return result
    }
}
