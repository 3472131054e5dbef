/// One regular file of a tar stream.
public struct TarEntry: Sendable, Equatable {
    /// Normalised relative POSIX path (no leading `./`).
    public let path: String
    public let size: Int64
}

/// Reads a tar stream entry by entry, refusing anything that could escape the archive's own
/// namespace: absolute paths, `..`, links and device files. Directory entries are skipped.
public final class TarReader {
    private let source: any ByteSource
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var finished = false
    /// Largest entry accepted, whatever its kind.
    public var maximumEntrySize: Int64

    public init(_ source: any ByteSource, maximumEntrySize: Int64 = 64 << 30) {
        self.source = source
        self.maximumEntrySize = maximumEntrySize
    }

    /// The next regular file, or `nil` at the end-of-archive marker.
    public func next() throws -> TarEntry? {
        try skipRemainder()
        guard !finished else { return nil }
        var paxPath: String?
        var paxSize: Int64?
        var gnuLongName: String?
        while true {
            let block = try source.readFully(512)
            if block.isEmpty {
                throw ArchiveError.truncated("the tar stream ends without its end-of-archive marker")
            }
            guard block.count == 512 else { throw ArchiveError.truncated("a tar header is cut short") }
            if block.allSatisfy({ $0 == 0 }) {
                finished = true
                // Read the layers below to their end, so gzip checks its CRC and length and the
                // cipher its padding: a flipped byte inside an entry's data (which tar headers
                // do not cover) is only seen there.
                while try !source.read(upTo: 1 << 16).isEmpty {}
                return nil
            }
            guard Self.checksumMatches(block) else {
                throw ArchiveError.notAnArchive("tar header checksum mismatch")
            }
            let type = block[156]
            var size = try Self.number(block[124..<136])
            if let override = paxSize { size = override }
            guard size >= 0 else { throw ArchiveError.notAnArchive("negative entry size") }
            let rawName = Self.string(block[0..<100])
            let prefix = Self.string(block[345..<500])
            let headerPath = prefix.isEmpty ? rawName : prefix + "/" + rawName
            switch type {
            case UInt8(ascii: "x"):
                guard size <= 1 << 20 else { throw ArchiveError.oversizedEntry(path: headerPath, size: size, limit: 1 << 20) }
                let body = try readBody(size)
                let records = Self.paxRecords(body)
                paxPath = records["path"] ?? paxPath
                if let text = records["size"], let value = Int64(text) { paxSize = value }
                continue
            case UInt8(ascii: "g"):
                _ = try readBody(size)
                continue
            case UInt8(ascii: "L"):
                guard size <= 1 << 16 else { throw ArchiveError.oversizedEntry(path: headerPath, size: size, limit: 1 << 16) }
                gnuLongName = Self.string(try readBody(size)[...])
                continue
            default:
                break
            }
            let path = try Self.validatedPath(paxPath ?? gnuLongName ?? headerPath)
            paxPath = nil
            paxSize = nil
            gnuLongName = nil
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                guard size <= maximumEntrySize else {
                    throw ArchiveError.oversizedEntry(path: path, size: size, limit: maximumEntrySize)
                }
                remaining = size
                padding = (512 - size % 512) % 512
                return TarEntry(path: path, size: size)
            case UInt8(ascii: "5"):
                remaining = size
                padding = (512 - size % 512) % 512
                try skipRemainder()
                continue
            case UInt8(ascii: "1"), UInt8(ascii: "2"):
                throw ArchiveError.unsafeEntry(path: path, reason: "links are not allowed in a data file")
            default:
                throw ArchiveError.unsafeEntry(path: path, reason: "unsupported tar entry type '\(Character(Unicode.Scalar(type)))'")
            }
        }
    }

    /// Up to `count` bytes of the current entry's data; empty at its end.
    public func read(upTo count: Int) throws -> [UInt8] {
        guard remaining > 0 else { return [] }
        let bytes = try source.read(upTo: Int(min(Int64(count), remaining)))
        if bytes.isEmpty { throw ArchiveError.truncated("an entry's data is cut short") }
        remaining -= Int64(bytes.count)
        return bytes
    }

    /// The whole current entry (callers bound its size first).
    public func readAll() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(remaining))
        while remaining > 0 { bytes.append(contentsOf: try read(upTo: 1 << 20)) }
        return bytes
    }

    private func readBody(_ size: Int64) throws -> [UInt8] {
        remaining = size
        padding = (512 - size % 512) % 512
        let bytes = try readAll()
        try skipRemainder()
        return bytes
    }

    private func skipRemainder() throws {
        while remaining > 0 { _ = try read(upTo: 1 << 16) }
        if padding > 0 {
            let skipped = try source.readFully(Int(padding))
            guard skipped.count == Int(padding) else { throw ArchiveError.truncated("an entry's padding is cut short") }
            padding = 0
        }
    }

    static func validatedPath(_ raw: String) throws -> String {
        guard !raw.isEmpty, !raw.contains("\0") else { throw ArchiveError.unsafeEntry(path: raw, reason: "empty or invalid name") }
        guard !raw.hasPrefix("/"), !raw.contains("\\") else {
            throw ArchiveError.unsafeEntry(path: raw, reason: "absolute paths are not allowed")
        }
        var components: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { throw ArchiveError.unsafeEntry(path: raw, reason: "'..' path components are not allowed") }
            components.append(component)
        }
        guard !components.isEmpty else { throw ArchiveError.unsafeEntry(path: raw, reason: "empty name") }
        return components.joined(separator: "/")
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    static func number(_ field: ArraySlice<UInt8>) throws -> Int64 {
        if let first = field.first, first & 0x80 != 0 {
            // GNU base-256 for sizes beyond 8 GiB.
            var value: Int64 = Int64(first & 0x7F)
            for byte in field.dropFirst() {
                guard value < Int64.max >> 8 else { throw ArchiveError.notAnArchive("entry size overflow") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let text = string(field).trimmingCharacters(in: " ")
        if text.isEmpty { return 0 }
        guard let value = Int64(text, radix: 8) else { throw ArchiveError.notAnArchive("invalid number in tar header") }
        return value
    }

    static func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = try? number(block[148..<156]) else { return false }
        var sum: Int64 = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int64(byte) }
        return sum == stored
    }

    static func paxRecords(_ body: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < body.count {
            guard let space = body[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: body[index..<space], as: UTF8.self)),
                  length > 0, index + length <= body.count
            else { break }
            let record = body[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                records[String(decoding: record[record.startIndex..<equals], as: UTF8.self)] =
                    String(decoding: record[(equals + 1)...], as: UTF8.self)
            }
            index += length
        }
        return records
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var result = Substring(self)
        while result.first == character { result.removeFirst() }
        while result.last == character { result.removeLast() }
        return String(result)
    }
}
