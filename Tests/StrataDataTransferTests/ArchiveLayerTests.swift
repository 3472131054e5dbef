import Crypto
import Foundation
import Testing
@testable import StrataDataTransfer

@Suite("Archive layers: tar, gzip, encryption")
struct ArchiveLayerTests {
    func tarBytes(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        let sink = MemoryByteSink()
        let tar = TarWriter(sink, modificationTime: 1_700_000_000)
        for (path, bytes) in entries { try tar.addEntry(path: path, bytes: bytes) }
        try tar.finish()
        return sink.bytes
    }

    func readAll(_ bytes: [UInt8]) throws -> [(String, [UInt8])] {
        let reader = TarReader(MemoryByteSource(bytes))
        var result: [(String, [UInt8])] = []
        while let entry = try reader.next() { result.append((entry.path, try reader.readAll())) }
        return result
    }

    @Test func tarRoundTripKeepsOrderNamesAndBytes() throws {
        let long = "assets/uploads/" + String(repeating: "a", count: 90) + "/" + String(repeating: "b", count: 95) + ".jpg"
        let veryLong = "assets/uploads/" + String(repeating: "c", count: 300) + ".png"
        let entries: [(String, [UInt8])] = [("schemas/schemas_00001.jsonl", Array("{}".utf8)), ("empty", []), (long, [1, 2, 3]), (veryLong, Array(repeating: 7, count: 1500))]
        let bytes = try tarBytes(entries)
        #expect(bytes.count % 512 == 0)
        #expect(bytes.suffix(1024).allSatisfy { $0 == 0 })
        let read = try readAll(bytes)
        #expect(read.map(\.0) == entries.map(\.0))
        #expect(read.map(\.1) == entries.map(\.1))
    }

    @Test func tarHeaderMatchesTarStream() throws {
        let bytes = try tarBytes([("metadata.json", Array("{}".utf8))])
        #expect(Array(bytes[100..<108]) == Array("000644 \0".utf8))
        #expect(Array(bytes[124..<136]) == Array("00000000002 ".utf8))
        #expect(Array(bytes[257..<265]) == Array("ustar\u{0}00".utf8))
        #expect(bytes[156] == UInt8(ascii: "0"))
        #expect(bytes.count == 512 + 512 + 1024)
    }

    @Test func systemTarReadsOurArchive() throws {
        let bytes = try tarBytes([("entities/entities_00001.jsonl", Array("{\"a\":1}".utf8)), ("metadata.json", Array("{}".utf8))])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-\(UUID().uuidString).tar")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try run("/usr/bin/tar", ["-tf", url.path])
        #expect(output.split(separator: "\n") == ["entities/entities_00001.jsonl", "metadata.json"])
    }

    /// Builds a header by hand so hostile archives can be tested.
    func rawEntry(name: String, type: UInt8, size: Int = 0, linkName: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        for (index, byte) in name.utf8.enumerated() { block[index] = byte }
        for (index, byte) in "000644 \0".utf8.enumerated() { block[100 + index] = byte }
        let sizeText = String(size, radix: 8)
        for (index, byte) in (String(repeating: "0", count: 11 - sizeText.count) + sizeText + " ").utf8.enumerated() { block[124 + index] = byte }
        block[156] = type
        for (index, byte) in linkName.utf8.enumerated() { block[157 + index] = byte }
        for (index, byte) in "ustar\u{0}00".utf8.enumerated() { block[257 + index] = byte }
        for index in 148..<156 { block[index] = 0x20 }
        let checksum = String(block.reduce(0) { $0 + Int($1) }, radix: 8)
        for (index, byte) in (String(repeating: "0", count: 6 - checksum.count) + checksum + "\0 ").utf8.enumerated() { block[148 + index] = byte }
        return block + [UInt8](repeating: 0, count: (size + 511) / 512 * 512)
    }

    @Test(arguments: [
        ("../etc/passwd", UInt8(ascii: "0"), "'..' path components are not allowed"),
        ("entities/../../x", UInt8(ascii: "0"), "'..' path components are not allowed"),
        ("/etc/passwd", UInt8(ascii: "0"), "absolute paths are not allowed"),
        ("assets/uploads/link", UInt8(ascii: "2"), "links are not allowed in a data file"),
        ("assets/uploads/hard", UInt8(ascii: "1"), "links are not allowed in a data file"),
        ("dev", UInt8(ascii: "3"), "unsupported tar entry type '3'"),
    ])
    func hostileEntriesAreRefused(name: String, type: UInt8, reason: String) throws {
        let bytes = rawEntry(name: name, type: type, linkName: "/etc/passwd") + [UInt8](repeating: 0, count: 1024)
        #expect(throws: ArchiveError.unsafeEntry(path: name, reason: reason)) { try readAll(bytes) }
    }

    @Test func oversizedAndTruncatedEntries() throws {
        let big = rawEntry(name: "entities/entities_00001.jsonl", type: UInt8(ascii: "0"), size: 2048) + [UInt8](repeating: 0, count: 1024)
        let reader = TarReader(MemoryByteSource(big), maximumEntrySize: 1024)
        #expect(throws: ArchiveError.oversizedEntry(path: "entities/entities_00001.jsonl", size: 2048, limit: 1024)) { try reader.next() }
        let whole = try tarBytes([("a.jsonl", Array(repeating: 65, count: 3000))])
        #expect(throws: ArchiveError.self) { try readAll(Array(whole.prefix(1500))) }
        #expect(throws: ArchiveError.truncated("the tar stream ends without its end-of-archive marker")) { try readAll(Array(whole.prefix(512 * 7))) }
    }

    @Test func gzipRoundTripAndCorruption() throws {
        let sink = MemoryByteSink()
        let gzip = try GzipSink(sink)
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) }
        try gzip.write(Array(payload[0..<100_000]))
        try gzip.write(Array(payload[100_000...]))
        try gzip.close()
        #expect(sink.bytes.starts(with: [0x1F, 0x8B]))
        let source = try GunzipSource(MemoryByteSource(sink.bytes))
        var output: [UInt8] = []
        while case let chunk = try source.read(upTo: 7_000), !chunk.isEmpty { output += chunk }
        #expect(output == payload)
        var corrupt = sink.bytes
        corrupt[corrupt.count / 2] ^= 0xFF
        corrupt[corrupt.count / 2 + 1] ^= 0xFF
        let bad = try GunzipSource(MemoryByteSource(corrupt))
        #expect(throws: ArchiveError.self) { while try !bad.read(upTo: 65_536).isEmpty {} }
    }

    /// Incompressible data (a JPEG, say) is stored verbatim inside deflate's stored blocks: a
    /// flipped byte there passes tar's header checksums and only the gzip trailer's CRC sees it,
    /// so reading an archive to its end-of-archive marker must check the trailer too.
    @Test func storedBlockCorruptionAndCutTrailerAreSeenAtTheEndOfTheArchive() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let sink = MemoryByteSink()
        let gzip = try GzipSink(sink)
        try gzip.write(try tarBytes([("assets/uploads/photo.jpg", noise), ("metadata.json", Array("{}".utf8))]))
        try gzip.close()
        func entries(_ bytes: [UInt8]) throws -> [(String, [UInt8])] {
            let reader = TarReader(try GunzipSource(MemoryByteSource(bytes)))
            var result: [(String, [UInt8])] = []
            while let entry = try reader.next() { result.append((entry.path, try reader.readAll())) }
            return result
        }
        #expect(try entries(sink.bytes).map(\.1) == [noise, Array("{}".utf8)])
        var flipped = sink.bytes
        flipped[flipped.count / 2] ^= 0x55
        #expect(throws: ArchiveError.corruptCompression("invalid deflate data or checksum")) { try entries(flipped) }
        // Cut inside the 8-byte trailer (CRC32 + length): every tar byte is there, the proof is not.
        #expect(throws: ArchiveError.truncated("the gzip stream ends before its trailer")) { try entries(Array(sink.bytes.dropLast(3))) }
    }

    @Test func scryptAndECBMatchStrapiVectors() throws {
        let key = try ArchiveKey.scrypt("password", byteCount: 16)
        #expect(key.withUnsafeBytes { Data($0) }.hex == "f87d3cc032ff13dd4edccc776c76283f")
        #expect(try ArchiveKey.scrypt("strapi-test-key", byteCount: 16).withUnsafeBytes { Data($0) }.hex == "0b5e0b29d2fd5edb902dace8ef578c69")
        let sink = MemoryByteSink()
        let cipher = try StrapiEncryptingSink(sink, passphrase: "password")
        try cipher.write(Array("hello strapi".utf8))
        try cipher.close()
        #expect(Data(sink.bytes).hex == "fd0cf21f97ae036420e47a4216468a45")
        let plain = try StrapiDecryptingSource.open(MemoryByteSource(sink.bytes), passphrase: "password", path: "x")
        #expect(try plain.readFully(100) == Array("hello strapi".utf8))
        let wrong = try StrapiDecryptingSource.open(MemoryByteSource(sink.bytes), passphrase: "nope", path: "x")
        #expect(throws: ArchiveError.wrongKey("x")) { try wrong.readFully(100) }
    }

    @Test func headeredStrapiVariantsUseTheirSalt() throws {
        let salt = Array(repeating: UInt8(9), count: 16)
        let key = try ArchiveKey.scrypt("k", salt: salt, byteCount: 16)
        var block = Array("sixteen byte msg".utf8) + Array(repeating: UInt8(16), count: 16)
        block = try ECB.encrypt(block[...], key: key)
        let v2 = Array("STRAPI2\0".utf8) + [2, 16] + salt + block
        #expect(try StrapiDecryptingSource.open(MemoryByteSource(v2), passphrase: "k", path: "x").readFully(64) == Array("sixteen byte msg".utf8))
        let tlv: [UInt8] = [0x01, 16] + salt + [0x02, 1, 0, 0x03, 1, 0, 0x7F, 2, 1, 1]
        let length = 12 + tlv.count
        let ex = Array("STRAPIEX".utf8) + [1, UInt8(length >> 8), UInt8(length & 0xFF), 0] + tlv + block
        #expect(try StrapiDecryptingSource.open(MemoryByteSource(ex), passphrase: "k", path: "x").readFully(64) == Array("sixteen byte msg".utf8))
    }

    func sealed(_ payload: [UInt8], chunkSize: Int = 1024) throws -> [UInt8] {
        let sink = MemoryByteSink()
        let cipher = try SealedEncryptingSink(sink, passphrase: "secret", chunkSize: chunkSize, logN: 10)
        try cipher.write(payload)
        try cipher.close()
        return sink.bytes
    }

    func unseal(_ bytes: [UInt8], passphrase: String = "secret") throws -> [UInt8] {
        let source = MemoryByteSource(bytes)
        let head = try source.readFully(8)
        let plain = try SealedDecryptingSource(source, head: head, passphrase: passphrase, path: "f")
        var output: [UInt8] = []
        while case let chunk = try plain.read(upTo: 500), !chunk.isEmpty { output += chunk }
        return output
    }

    @Test(arguments: [0, 1, 1023, 1024, 1025, 4096, 5000])
    func sealedRoundTrip(size: Int) throws {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
        #expect(try unseal(try sealed(payload)) == payload)
    }

    @Test func sealedDetectsTamperingTruncationAndWrongKeys() throws {
        let payload = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = try sealed(payload)
        #expect(throws: ArchiveError.wrongKey("f")) { try unseal(bytes, passphrase: "other") }
        var flipped = bytes
        flipped[bytes.count - 40] ^= 1
        #expect(throws: ArchiveError.tampered("f")) { try unseal(flipped) }
        // Cut exactly at a chunk boundary: every remaining chunk is intact, the final one is gone.
        let boundary = SealedCipher.headerSize + 2 * (1024 + 16)
        #expect(throws: ArchiveError.tampered("f")) { try unseal(Array(bytes.prefix(boundary))) }
        #expect(throws: ArchiveError.tampered("f")) { try unseal(Array(bytes.dropLast(3))) }
        #expect(throws: ArchiveError.tampered("f")) { try unseal(bytes + [0]) }
        var header = bytes
        header[30] ^= 1  // chunk size is authenticated through the header
        #expect(throws: ArchiveError.self) { try unseal(header) }
    }

    @Test func fileNamesFollowStrapi() throws {
        #expect(ArchiveFormat(compressed: true, encryption: .strapi).fileExtension == ".tar.gz.enc")
        #expect(ArchiveFormat(compressed: false, encryption: nil).fileExtension == ".tar")
        #expect(try ArchiveFormat.detect(fileName: "a.tar.gz.enc") == (true, true))
        #expect(try ArchiveFormat.detect(fileName: "a.tar.enc") == (false, true))
        #expect(throws: ArchiveError.invalidExtension("a.zip")) { try ArchiveFormat.detect(fileName: "a.zip") }
    }
}

extension Data {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Runs a tool and returns its standard output.
func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TransferError("\(executable) \(arguments) exited with \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}
