import Foundation
import Testing
@testable import StrataDataTransfer

/// A tar header built by hand, fields as bytes, so that hostile archives can be written.
struct RawTarHeader {
    var block = [UInt8](repeating: 0, count: 512)

    init(name: String, type: UInt8, size: Int64 = 0) {
        put(Array(name.utf8.prefix(100)), at: 0)
        put(Array("000644 \0".utf8), at: 100)
        let octal = String(size, radix: 8)
        sizeField = Array((String(repeating: "0", count: max(0, 11 - octal.count)) + octal + " ").utf8)
        block[156] = type
        put(Array("ustar\u{0}00".utf8), at: 257)
    }

    /// The 12 bytes of the size field (octal text, or base-256 with the high bit set).
    var sizeField: [UInt8] {
        get { Array(block[124..<136]) }
        set { put(Array(newValue.prefix(12)) + [UInt8](repeating: 0, count: max(0, 12 - newValue.count)), at: 124) }
    }

    mutating func put(_ bytes: [UInt8], at offset: Int) {
        for (index, byte) in bytes.enumerated() where offset + index < 512 { block[offset + index] = byte }
    }

    /// The block with a valid checksum, so the reader looks past it.
    var sealed: [UInt8] {
        var block = block
        for index in 148..<156 { block[index] = 0x20 }
        let text = String(block.reduce(0) { $0 + Int($1) }, radix: 8)
        let field = Array((String(repeating: "0", count: max(0, 6 - text.count)) + text).utf8) + [0, 0x20]
        for (index, byte) in field.enumerated() { block[148 + index] = byte }
        return block
    }

    /// A base-256 size field holding `value`.
    static func base256(_ value: UInt64) -> [UInt8] {
        [0x80, 0, 0, 0] + withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

/// `header`, then `body` padded to a block.
func tarEntry(_ header: RawTarHeader, body: [UInt8] = []) -> [UInt8] {
    header.sealed + body + [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
}

let endOfArchive = [UInt8](repeating: 0, count: 1024)

/// Every entry with its bytes, as the importer reads them.
func readTar(_ bytes: [UInt8]) throws -> [(String, [UInt8])] {
    let reader = TarReader(MemoryByteSource(bytes))
    var result: [(String, [UInt8])] = []
    while let entry = try reader.next() { result.append((entry.path, try reader.readAll())) }
    return result
}

@Suite("Crafted tar headers are refused, never trap")
struct TarHardeningTests {
    func pax(_ body: String, then file: String = "file.txt") -> [UInt8] {
        let records = Array(body.utf8)
        return tarEntry(RawTarHeader(name: "PaxHeader/x", type: UInt8(ascii: "x"), size: Int64(records.count)), body: records)
            + tarEntry(RawTarHeader(name: file, type: UInt8(ascii: "0"), size: 2), body: Array("hi".utf8))
            + endOfArchive
    }

    func invalidHeaderReason(_ bytes: [UInt8]) -> String? {
        do {
            _ = try readTar(bytes)
            return nil
        } catch let ArchiveError.invalidHeader(_, reason) {
            return reason
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test(arguments: [
        ("1 ", "length 1 is too short for its record"),
        ("2 x", "length 2 is too short for its record"),
        ("4 a\n", "length 4 is too short for its record"),
        ("0 \n", "length 0 is too short for its record"),
        ("9223372036854775807 path=x\n", "no length"),
        ("99999 path=x\n", "length 99999 runs past the header's 13 bytes"),
        ("11 path=abc\n", "the record does not end with a newline"),
        ("11 pathabc\n", "no key=value"),
        ("path=x\n", "no length"),
    ])
    func malformedPaxRecordsAreRefused(record: String, reason: String) throws {
        let found = invalidHeaderReason(pax(record))
        #expect(found?.hasSuffix(reason) == true, "\(found ?? "accepted")")
        #expect(found?.hasPrefix("malformed pax record at byte 0") == true)
    }

    @Test func wellFormedPaxRecordsStillWork() throws {
        let long = "assets/uploads/" + String(repeating: "é", count: 120) + ".jpg"
        let records = TarWriter.paxRecord(key: "path", value: long) + Array("6 a=b\n".utf8) + TarWriter.paxRecord(key: "comment", value: "with = and spaces")
        let file = tarEntry(RawTarHeader(name: "short", type: UInt8(ascii: "0"), size: 1), body: [7]) + endOfArchive
        let exact = tarEntry(RawTarHeader(name: "PaxHeader/x", type: UInt8(ascii: "x"), size: Int64(records.count)), body: records) + file
        // Zeros after the last record are tolerated.
        let padded = tarEntry(RawTarHeader(name: "PaxHeader/x", type: UInt8(ascii: "x"), size: Int64(records.count + 3)), body: records + [0, 0, 0]) + file
        for archive in [exact, padded] {
            let entries = try readTar(archive)
            #expect(entries.map(\.0) == [long])
            #expect(entries.map(\.1) == [[7]])
        }
        #expect(try TarReader.paxRecords(Array("6 a=b\n11 size=12\n5 c=\n".utf8), path: "p") == ["a": "b", "size": "12", "c": ""])
    }

    @Test func paxSizeAppliesToTheNextFileOnly() throws {
        // Two extended headers in a row: the first one's size must not resize the second.
        let first = Array("10 size=3\n".utf8)
        let second = Array("17 path=long.txt\n".utf8)
        let bytes = tarEntry(RawTarHeader(name: "PaxHeader/a", type: UInt8(ascii: "x"), size: Int64(first.count)), body: first)
            + tarEntry(RawTarHeader(name: "PaxHeader/b", type: UInt8(ascii: "x"), size: Int64(second.count)), body: second)
            + tarEntry(RawTarHeader(name: "short", type: UInt8(ascii: "0"), size: 0), body: [1, 2, 3])
            + endOfArchive
        let entries = try readTar(bytes)
        #expect(entries.map(\.0) == ["long.txt"])
        #expect(entries.map(\.1) == [[1, 2, 3]])
        let badSize = pax("11 size=-4\n")
        #expect(invalidHeaderReason(badSize) == "pax size '-4' is not a byte count")
    }

    @Test func globalHeaderClaimingATerabyteIsRefused() throws {
        var global = RawTarHeader(name: "pax_global_header", type: UInt8(ascii: "g"))
        global.sizeField = RawTarHeader.base256(1_000_000_000_000)
        let bytes = tarEntry(global, body: Array("19 comment=tiny!!!\n".utf8)) + endOfArchive
        #expect(throws: ArchiveError.oversizedEntry(path: "pax_global_header", size: 1_000_000_000_000, limit: 1 << 20)) { try readTar(bytes) }
        // Through the importer's reader, from a file, the same error reaches the user.
        let url = try temporaryDirectory().appendingPathComponent("global.tar")
        try Data(bytes).write(to: url)
        let reader = try ArchiveReader(path: url.path, key: nil)
        #expect(throws: ArchiveError.oversizedEntry(path: "pax_global_header", size: 1_000_000_000_000, limit: 1 << 20)) { try reader.next() }
        #expect(ArchiveError.oversizedEntry(path: "pax_global_header", size: 1_000_000_000_000, limit: 1 << 20).description
            == "Archive entry 'pax_global_header' is 1000000000000 bytes, more than the 1048576 bytes allowed.")
        // A small global header is skipped.
        let small = Array("19 comment=tiny!!!\n".utf8)
        let fine = tarEntry(RawTarHeader(name: "pax_global_header", type: UInt8(ascii: "g"), size: Int64(small.count)), body: small)
            + tarEntry(RawTarHeader(name: "a", type: UInt8(ascii: "0"), size: 1), body: [9]) + endOfArchive
        #expect(try readTar(fine).map(\.0) == ["a"])
    }

    @Test func pax1RecordThroughTheImportersReader() throws {
        let url = try temporaryDirectory().appendingPathComponent("pax.tar")
        try Data(pax("1 ")).write(to: url)
        let reader = try ArchiveReader(path: url.path, key: nil)
        #expect(throws: ArchiveError.invalidHeader(path: "PaxHeader/x", reason: "malformed pax record at byte 0: length 1 is too short for its record")) {
            try reader.next()
        }
    }

    @Test(arguments: [
        (RawTarHeader.base256(UInt64.max), "number too large"),
        ([0xFF] + [UInt8](repeating: 0xFF, count: 11), "negative number"),
        (Array("-0000000001 ".utf8), "'-0000000001' is not an octal number"),
        (Array("0000000009 \0".utf8), "'0000000009' is not an octal number"),
        (Array("+7\0".utf8), "'+7' is not an octal number"),
    ])
    func hostileSizeFieldsAreRefused(field: [UInt8], reason: String) throws {
        var header = RawTarHeader(name: "f", type: UInt8(ascii: "0"))
        header.sizeField = field
        #expect(throws: ArchiveError.invalidHeader(path: "f", reason: reason)) { try readTar(tarEntry(header) + endOfArchive) }
    }

    @Test func hugeSizesAreRefusedBeforeReading() throws {
        var header = RawTarHeader(name: "f", type: UInt8(ascii: "0"))
        header.sizeField = RawTarHeader.base256(UInt64(Int64.max))
        #expect(throws: ArchiveError.oversizedEntry(path: "f", size: Int64.max, limit: 64 << 30)) { try readTar(tarEntry(header) + endOfArchive) }
        // Within the limit but not in the stream: truncated, without reserving the claimed size.
        header.sizeField = Array("77777777777 ".utf8)
        let reader = TarReader(MemoryByteSource(tarEntry(header) + endOfArchive))
        let entry = try reader.next()
        #expect(entry?.size == 0o77777777777)
        #expect(throws: ArchiveError.truncated("an entry's data is cut short")) { try reader.readAll() }
        // So are directories and long names claiming more than they hold.
        var directory = RawTarHeader(name: "d/", type: UInt8(ascii: "5"))
        directory.sizeField = RawTarHeader.base256(1 << 40)
        #expect(throws: ArchiveError.truncated("an entry's data is cut short")) { try readTar(tarEntry(directory) + endOfArchive) }
        var longName = RawTarHeader(name: "././@LongLink", type: UInt8(ascii: "L"))
        longName.sizeField = RawTarHeader.base256(1 << 40)
        #expect(throws: ArchiveError.oversizedEntry(path: "././@LongLink", size: 1 << 40, limit: 1 << 16)) { try readTar(tarEntry(longName) + endOfArchive) }
    }

    @Test func oddReadCountsDoNotTrap() throws {
        let bytes = tarEntry(RawTarHeader(name: "a", type: UInt8(ascii: "0"), size: 3), body: [1, 2, 3]) + endOfArchive
        let reader = TarReader(MemoryByteSource(bytes))
        _ = try reader.next()
        #expect(try reader.read(upTo: 0) == [1])
        #expect(try reader.read(upTo: -5) == [2])
        #expect(try reader.read(upTo: Int.max) == [3])
        #expect(try MemoryByteSource([1, 2]).read(upTo: Int.max) == [1, 2])
        #expect(try MemoryByteSource([1, 2]).read(upTo: -1) == [])
    }
}
