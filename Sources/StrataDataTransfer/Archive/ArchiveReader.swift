public import StrataCore

/// Reads a Strapi data file entry by entry, decrypting and decompressing on the fly. Layer
/// failures are translated into the error a user can act on (wrong key, corrupt, truncated).
public final class ArchiveReader {
    /// Largest JSONL file accepted (Strapi splits at 256 MB).
    public static let maxJSONLEntrySize: Int64 = 512 << 20
    public static let maxSidecarSize: Int64 = 1 << 20

    public let path: String
    public let encrypted: Bool
    private let tar: TarReader

    public init(path: String, key: String?) throws {
        self.path = path
        let layers = try ArchiveFormat.detect(fileName: path)
        encrypted = layers.encrypted
        var source: any ByteSource = try FileByteSource(path: path)
        if layers.encrypted {
            guard let key, !key.isEmpty else { throw ArchiveError.wrongKey(path) }
            let head = try source.readFully(8)
            if SealedCipher.matches(head) {
                source = try SealedDecryptingSource(source, head: head, passphrase: key, path: path)
            } else {
                source = try StrapiDecryptingSource.open(PrefixedSource(head, source), passphrase: key, path: path)
            }
        }
        if layers.compressed { source = try GunzipSource(source) }
        tar = TarReader(source)
    }

    /// Reads a plain tar stream (tests).
    init(tar source: any ByteSource, path: String) {
        self.path = path
        encrypted = false
        tar = TarReader(source)
    }

    /// The next regular file, or `nil` at the end of the archive.
    public func next() throws -> TarEntry? {
        try translating { try tar.next() }
    }

    /// Streams the current entry's bytes.
    public func read(upTo count: Int) throws -> [UInt8] {
        try translating { try tar.read(upTo: count) }
    }

    /// The current entry, which must be at most `limit` bytes.
    public func readAll(_ entry: TarEntry, limit: Int64) throws -> [UInt8] {
        guard entry.size <= limit else { throw ArchiveError.oversizedEntry(path: entry.path, size: entry.size, limit: limit) }
        return try translating { try tar.readAll() }
    }

    /// Calls `body` with each record of a JSONL entry, skipping empty lines. A line longer than
    /// `maxLineSize` bytes is refused as soon as it is seen, so at most that much of it is held.
    public func forEachRecord(
        _ entry: TarEntry, maxLineSize: Int = ImportLimits.defaultMaxLineSize, _ body: (JSONValue) async throws -> Void
    ) async throws {
        guard entry.size <= Self.maxJSONLEntrySize else {
            throw ArchiveError.oversizedEntry(path: entry.path, size: entry.size, limit: Self.maxJSONLEntrySize)
        }
        var line: [UInt8] = []
        func append(_ bytes: ArraySlice<UInt8>) throws {
            guard bytes.count <= maxLineSize - line.count else {
                throw ArchiveError.limitExceeded(path: entry.path, limit: .lineSize, bytes: Int64(maxLineSize))
            }
            if line.count + bytes.count > line.capacity {
                // Grow as appending would, but never past the limit.
                line.reserveCapacity(min(max(line.capacity * 2, line.count + bytes.count), maxLineSize))
            }
            line.append(contentsOf: bytes)
        }
        func emit() async throws {
            defer { line.removeAll(keepingCapacity: true) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw ArchiveError.invalidRecord(path: entry.path, message: error.description)
            }
            try await body(value)
        }
        while true {
            let chunk = try read(upTo: 1 << 20)
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                try append(chunk[start..<newline])
                try await emit()
                start = newline + 1
            }
            try append(chunk[start...])
        }
        try await emit()
    }

    private func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ArchiveError {
            if encrypted {
                switch error {
                case .corruptCompression, .notAnArchive: throw ArchiveError.wrongKey(path)
                default: throw error
                }
            }
            if case .notAnArchive = error { throw ArchiveError.notAnArchive(path) }
            throw error
        }
    }
}

/// Serves bytes already read (format detection) before the rest of a stream.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: any ByteSource

    init(_ prefix: [UInt8], _ rest: any ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(upTo count: Int) throws -> [UInt8] {
        guard !prefix.isEmpty else { return try rest.read(upTo: count) }
        let take = min(max(count, 0), prefix.count)
        defer { prefix.removeFirst(take) }
        return Array(prefix[0..<take])
    }
}
