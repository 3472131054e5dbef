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

    /// Largest pax extended header ('x', 'g') accepted; real ones hold a long path or two.
    static let maximumPaxHeaderSize: Int64 = 1 << 20
    /// Largest GNU long name ('L') accepted.
    static let maximumLongNameSize: Int64 = 1 << 16

    /// The next regular file, or `nil` at the end-of-archive marker.
    ///
    /// Crafted headers (sizes beyond `Int64`, malformed pax records, metadata entries claiming
    /// terabytes) are refused with an ``ArchiveError``; nothing here traps on input.
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
            let rawName = Self.string(block[0..<100])
            let prefix = Self.string(block[345..<500])
            let headerPath = prefix.isEmpty ? rawName : prefix + "/" + rawName
            let headerSize = try Self.number(block[124..<136], path: headerPath)
            switch type {
            case UInt8(ascii: "x"):
                let body = try readMetadata(headerSize, limit: Self.maximumPaxHeaderSize, path: headerPath)
                let records = try Self.paxRecords(body, path: headerPath)
                paxPath = records["path"] ?? paxPath
                if let text = records["size"] {
                    guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text) else {
                        throw ArchiveError.invalidHeader(path: headerPath, reason: "pax size '\(text.prefix(40))' is not a byte count")
                    }
                    paxSize = value
                }
                continue
            case UInt8(ascii: "g"):
                // Global records (a creation comment, a charset) change nothing Strata reads.
                _ = try readMetadata(headerSize, limit: Self.maximumPaxHeaderSize, path: headerPath)
                continue
            case UInt8(ascii: "L"):
                gnuLongName = Self.string(try readMetadata(headerSize, limit: Self.maximumLongNameSize, path: headerPath)[...])
                continue
            default:
                break
            }
            // A pax size applies to the entry after the extended header, never to another header.
            let size = paxSize ?? headerSize
            let path = try Self.validatedPath(paxPath ?? gnuLongName ?? headerPath)
            paxPath = nil
            paxSize = nil
            gnuLongName = nil
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                guard size <= maximumEntrySize else {
                    throw ArchiveError.oversizedEntry(path: path, size: size, limit: maximumEntrySize)
                }
                startData(size)
                return TarEntry(path: path, size: size)
            case UInt8(ascii: "5"):
                startData(size)
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
        let bytes = try source.read(upTo: Int(min(Int64(max(count, 1)), remaining)))
        if bytes.isEmpty { throw ArchiveError.truncated("an entry's data is cut short") }
        remaining -= Int64(bytes.count)
        return bytes
    }

    /// The whole current entry (callers bound its size first).
    public func readAll() throws -> [UInt8] {
        var bytes: [UInt8] = []
        // A header's size is only a claim until the bytes arrive: reserve at most 16 MiB ahead.
        bytes.reserveCapacity(Int(min(remaining, 1 << 24)))
        while remaining > 0 { bytes.append(contentsOf: try read(upTo: 1 << 20)) }
        return bytes
    }

    /// The body of a metadata header (pax records, a long name), at most `limit` bytes.
    private func readMetadata(_ size: Int64, limit: Int64, path: String) throws -> [UInt8] {
        guard size <= limit else { throw ArchiveError.oversizedEntry(path: path, size: size, limit: limit) }
        startData(size)
        let bytes = try readAll()
        try skipRemainder()
        return bytes
    }

    /// The current entry holds `size` bytes (at least 0, checked by ``number(_:path:)``), then
    /// zeros up to the next 512-byte block.
    private func startData(_ size: Int64) {
        remaining = size
        padding = (512 - size % 512) % 512
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

    /// An octal (ustar) or base-256 (GNU, for sizes beyond 8 GiB) header number; never negative.
    static func number(_ field: ArraySlice<UInt8>, path: String) throws -> Int64 {
        if let first = field.first, first & 0x80 != 0 {
            // Base-256, two's complement after the marker bit: bit 6 set is a negative number.
            guard first & 0x40 == 0 else { throw ArchiveError.invalidHeader(path: path, reason: "negative number") }
            var value = Int64(first & 0x3F)
            for byte in field.dropFirst() {
                guard value <= Int64.max >> 8 else { throw ArchiveError.invalidHeader(path: path, reason: "number too large") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let text = string(field).trimmingCharacters(in: " ")
        if text.isEmpty { return 0 }
        guard text.utf8.allSatisfy({ (0x30...0x37).contains($0) }) else {
            throw ArchiveError.invalidHeader(path: path, reason: "'\(text)' is not an octal number")
        }
        guard let value = Int64(text, radix: 8) else { throw ArchiveError.invalidHeader(path: path, reason: "number too large") }
        return value
    }

    static func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = try? number(block[148..<156], path: "") else { return false }
        var sum: Int64 = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int64(byte) }
        return sum == stored
    }

    /// The `"<length> <key>=<value>\n"` records of a pax extended header, where `<length>` counts
    /// the whole record. Anything else (a length that cannot hold its own record, runs past the
    /// body or does not end at a newline; no `=`) refuses the archive; zeros after the last record
    /// are ignored.
    static func paxRecords(_ body: [UInt8], path: String) throws -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < body.count {
            if body[index...].allSatisfy({ $0 == 0 }) { break }
            func invalid(_ reason: String) -> ArchiveError {
                .invalidHeader(path: path, reason: "malformed pax record at byte \(index): \(reason)")
            }
            let digits = body[index...].prefix { (0x30...0x39).contains($0) }
            guard !digits.isEmpty, digits.count <= 10, digits.endIndex < body.count, body[digits.endIndex] == 0x20 else {
                throw invalid("no length")
            }
            // At most ten digits: fits an Int, and no record needs more.
            let length = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            let keyStart = digits.endIndex + 1
            // The shortest record is "<length> k=\n": the key, `=` and the newline follow the space.
            guard length >= keyStart - index + 3 else { throw invalid("length \(length) is too short for its record") }
            guard length <= body.count - index else { throw invalid("length \(length) runs past the header's \(body.count) bytes") }
            let end = index + length - 1
            guard body[end] == 0x0A else { throw invalid("the record does not end with a newline") }
            let record = body[keyStart..<end]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")), equals > keyStart else { throw invalid("no key=value") }
            records[String(decoding: record[keyStart..<equals], as: UTF8.self)] =
                String(decoding: record[(equals + 1)..<end], as: UTF8.self)
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
