/// Writes a POSIX ustar stream the way Strapi's exporter (tar-stream) does: regular files only,
/// mode 0644, uid/gid 0, no directory entries, two zero blocks at the end and no record padding.
/// Names longer than ustar allows use a PAX `path` header.
public final class TarWriter {
    private let sink: any ByteSink
    private var remaining: Int64 = 0
    private var written: Int64 = 0
    private let modificationTime: Int64

    public init(_ sink: any ByteSink, modificationTime: Int64) {
        self.sink = sink
        self.modificationTime = modificationTime
    }

    /// Starts an entry of exactly `size` bytes; write them with ``write(_:)``.
    public func beginEntry(path: String, size: Int64) throws {
        precondition(remaining == 0, "previous tar entry not finished")
        let name = Array(path.utf8)
        if let (prefix, base) = Self.split(name) {
            try sink.write(header(name: base, prefix: prefix, size: size, type: UInt8(ascii: "0")))
        } else {
            // PAX extended header carrying the long path.
            let record = Self.paxRecord(key: "path", value: path)
            try sink.write(header(name: Array("PaxHeader/\(path.suffix(80))".utf8.prefix(100)), prefix: [], size: Int64(record.count), type: UInt8(ascii: "x")))
            try sink.write(record)
            try pad(Int64(record.count))
            try sink.write(header(name: Array(name.suffix(100)), prefix: [], size: size, type: UInt8(ascii: "0")))
        }
        remaining = size
        written = 0
        if size == 0 { remaining = 0 }
    }

    public func write(_ bytes: [UInt8]) throws {
        precondition(Int64(bytes.count) <= remaining, "tar entry overflow")
        try sink.write(bytes)
        remaining -= Int64(bytes.count)
        written += Int64(bytes.count)
        if remaining == 0 { try pad(written) }
    }

    /// Writes a whole entry from memory.
    public func addEntry(path: String, bytes: [UInt8]) throws {
        try beginEntry(path: path, size: Int64(bytes.count))
        if !bytes.isEmpty { try write(bytes) }
    }

    /// Writes the end-of-archive marker and closes the layers below.
    public func finish() throws {
        precondition(remaining == 0, "tar entry not finished")
        try sink.write([UInt8](repeating: 0, count: 1024))
        try sink.close()
    }

    private func pad(_ size: Int64) throws {
        let padding = Int((512 - size % 512) % 512)
        if padding > 0 { try sink.write([UInt8](repeating: 0, count: padding)) }
    }

    private func header(name: [UInt8], prefix: [UInt8], size: Int64, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, digits: Int) -> [UInt8] {
            let text = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, digits - text.count)) + text).utf8)
        }
        put(name, at: 0)
        put(octal(0o644, digits: 6) + [0x20, 0], at: 100)
        put(octal(0, digits: 6) + [0x20, 0], at: 108)
        put(octal(0, digits: 6) + [0x20, 0], at: 116)
        put(octal(size, digits: 11) + [0x20], at: 124)
        put(octal(modificationTime, digits: 11) + [0x20], at: 136)
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        block[156] = type
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(octal(0, digits: 6) + [0x20, 0], at: 329)
        put(octal(0, digits: 6) + [0x20, 0], at: 337)
        put(prefix, at: 345)
        let checksum = block.reduce(0) { $0 + Int64($1) }
        put(octal(checksum, digits: 6) + [0, 0x20], at: 148)
        return block
    }

    /// ustar's `prefix`/`name` split at a `/`, or `nil` when the path does not fit.
    static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if path.count <= 100 { return ([], path) }
        guard path.count <= 256 else { return nil }
        for index in stride(from: min(path.count - 1, 155), through: 1, by: -1) where path[index] == UInt8(ascii: "/") {
            let name = Array(path[(index + 1)...])
            if name.count <= 100 && !name.isEmpty { return (Array(path[..<index]), name) }
        }
        return nil
    }

    /// `"<len> key=value\n"` where `<len>` counts itself.
    static func paxRecord(key: String, value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length += 1 }
        return Array("\(length)\(body)".utf8)
    }
}
