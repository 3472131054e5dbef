import Foundation
import StrataCore
import Testing
@testable import StrataDataTransfer


/// Random and mutated tar streams: the reader returns entries or throws an ``ArchiveError``,
/// whatever the bytes (a trap ends the test process).
@Suite("Tar reader fuzzing")
struct TarFuzzTests {
    static let types: [UInt8] = [0, 0x30, 0x35, 0x37, 0x31, 0x32, 0x78, 0x67, 0x4C, 0x4B, 0x33]

    /// A size field: octal of any length, base-256 (positive, negative, huge), or garbage.
    static func sizeField(_ random: inout SplitMix64, body: Int) -> [UInt8] {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return Array((String(body, radix: 8) + " ").utf8)
        case 1: return Array(String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 8).utf8)
        case 2: return [0x80 | UInt8.random(in: 0...0x7F, using: &random)] + random.bytes(11)
        case 3: return [0xFF] + random.bytes(11)
        case 4: return RawTarHeader.base256(UInt64.random(in: 0...UInt64.max, using: &random))
        case 5: return Array("-\(Int.random(in: 0...999, using: &random))".utf8)
        case 6: return random.bytes(Int.random(in: 0...12, using: &random))
        default: return Array(String(Int.random(in: 0...4096, using: &random), radix: 8).utf8) + [0]
        }
    }

    /// Pax records, well formed or not ("1 ", "2 x", lengths beyond the body or `Int`).
    static func paxBody(_ random: inout SplitMix64) -> [UInt8] {
        var body: [UInt8] = []
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            switch Int.random(in: 0..<9, using: &random) {
            case 0: body += TarWriter.paxRecord(key: "path", value: "dir/" + String(repeating: "n", count: Int.random(in: 0...200, using: &random)))
            case 1: body += TarWriter.paxRecord(key: "size", value: String(Int64.random(in: -5...Int64.max, using: &random)))
            case 2: body += Array("1 ".utf8)
            case 3: body += Array("2 x".utf8)
            case 4: body += Array("\(UInt64.random(in: 0...UInt64.max, using: &random)) path=x\n".utf8)
            case 5: body += Array("\(Int.random(in: 0...40, using: &random)) \(String(repeating: "k", count: Int.random(in: 0...30, using: &random)))=v\n".utf8)
            case 6: body += random.bytes(Int.random(in: 0...40, using: &random))
            case 7: body += Array("6 a=b".utf8)
            default: body += [0, 0, 0]
            }
        }
        return body
    }

    /// One header (sealed with a valid checksum most of the time) and a body that may or may not
    /// match its size.
    static func randomEntry(_ random: inout SplitMix64) -> [UInt8] {
        let type = types.randomElement(using: &random)!
        let body = type == 0x78 || type == 0x67 || random.chance(30) ? paxBody(&random) : random.bytes(Int.random(in: 0...1500, using: &random))
        let names = ["a.txt", "assets/uploads/x.jpg", "../up", "/abs", "PaxHeader/p", "././@LongLink", "", "d/"]
        var header = RawTarHeader(name: names.randomElement(using: &random)!, type: type, size: Int64(body.count))
        if random.chance(40) { header.sizeField = sizeField(&random, body: body.count) }
        if random.chance(10) { header.put(random.bytes(8), at: Int.random(in: 0..<504, using: &random)) }
        let block = random.chance(90) ? header.sealed : header.block
        let cut = random.chance(10) ? Int.random(in: 0...body.count, using: &random) : body.count
        return block + body.prefix(cut) + [UInt8](repeating: 0, count: (512 - cut % 512) % 512)
    }

    /// A valid archive from the writer (long paths make pax headers), with bytes of one header flipped.
    static func mutatedArchive(_ random: inout SplitMix64) throws -> [UInt8] {
        let sink = MemoryByteSink()
        let tar = TarWriter(sink, modificationTime: 1_700_000_000)
        for index in 0..<Int.random(in: 1...3, using: &random) {
            let name = "assets/uploads/" + String(repeating: "l", count: Int.random(in: 1...300, using: &random)) + "\(index).bin"
            try tar.addEntry(path: name, bytes: random.bytes(Int.random(in: 0...700, using: &random)))
        }
        try tar.finish()
        var bytes = sink.bytes
        let headers = stride(from: 0, to: bytes.count - 1024, by: 512).filter { offset in
            bytes[offset + 257..<offset + 262].elementsEqual("ustar".utf8)
        }
        guard let offset = headers.randomElement(using: &random) else { return bytes }
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            bytes[offset + Int.random(in: 0..<512, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        if random.chance(50) {
            // Mutate the pax records that follow an extended header too.
            let body = offset + 512
            if bytes[offset + 156] == 0x78, body + 8 < bytes.count {
                bytes[body + Int.random(in: 0..<8, using: &random)] = [0x20, 0x30, 0x31, 0x39, 0x0A, 0x3D].randomElement(using: &random)!
            }
        }
        var header = RawTarHeader(name: "", type: 0)
        header.block = Array(bytes[offset..<(offset + 512)])
        if random.chance(90) { bytes.replaceSubrange(offset..<(offset + 512), with: header.sealed) }
        if random.chance(10) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random))) }
        return bytes
    }

    /// Reads everything; `nil` when the reader behaved, else what it did wrong.
    static func exercise(_ bytes: [UInt8], _ random: inout SplitMix64) -> String? {
        let reader = TarReader(MemoryByteSource(bytes), maximumEntrySize: random.chance(50) ? 64 << 30 : 4096)
        do {
            for _ in 0..<64 {
                guard let entry = try reader.next() else { return nil }
                guard entry.size >= 0, !entry.path.isEmpty, !entry.path.hasPrefix("/"), !entry.path.split(separator: "/").contains("..") else {
                    return "unsafe entry \(entry)"
                }
                var read: Int64 = 0
                while case let chunk = try reader.read(upTo: Int.random(in: -2...2048, using: &random)), !chunk.isEmpty {
                    read += Int64(chunk.count)
                }
                guard read == entry.size else { return "read \(read) bytes of \(entry.size)" }
            }
            return nil
        } catch is ArchiveError {
            return nil
        } catch {
            return "threw \(type(of: error)): \(error)"
        }
    }

    @Test(arguments: 0..<4)
    func randomHeadersOnlyYieldEntriesOrArchiveErrors(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 0x5851_F42D_4C95_7F2D &+ 1)
        for iteration in 0..<750 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) { bytes += Self.randomEntry(&random) }
            if random.chance(80) { bytes += endOfArchive }
            if let problem = Self.exercise(bytes, &random) {
                Issue.record("seed \(seed), iteration \(iteration): \(problem)")
                return
            }
        }
    }

    @Test(arguments: 0..<4)
    func mutatedArchivesOnlyYieldEntriesOrArchiveErrors(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 7)
        for iteration in 0..<500 {
            let bytes = try Self.mutatedArchive(&random)
            if let problem = Self.exercise(bytes, &random) {
                Issue.record("seed \(seed), iteration \(iteration): \(problem)")
                return
            }
        }
    }

    @Test func paxRecordsOnlyParseOrThrow() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let body = Self.paxBody(&random)
            do {
                let records = try TarReader.paxRecords(body, path: "p")
                #expect(records.keys.allSatisfy { !$0.isEmpty })
            } catch is ArchiveError {
                continue
            }
        }
    }
}
