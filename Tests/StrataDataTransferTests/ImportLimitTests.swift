import Foundation
import StrataCore
import StrataTesting
import Testing
@testable import StrataDataTransfer

/// Counts the bytes pulled from the layer below.
final class CountingSource: ByteSource {
    let upstream: any ByteSource
    private(set) var consumed = 0

    init(_ upstream: any ByteSource) { self.upstream = upstream }

    func read(upTo count: Int) throws -> [UInt8] {
        let bytes = try upstream.read(upTo: count)
        consumed += bytes.count
        return bytes
    }
}

/// The largest asset and JSONL line an import accepts (``ImportLimits``).
@Suite("Import limits")
struct ImportLimitTests {
    /// Imports `archive` into the prepared epic project with `limits`; expects `expected` and
    /// everything (rows, uploads, staging folders) as it was.
    func expectRefusal(_ archive: String, limits: ImportLimits, _ expected: ArchiveError) async throws {
        let failures = FailedImportTests()
        let strata = try await failures.prepared()
        let before = try await failures.snapshot(strata)
        var importer = strata.importer
        importer.limits = limits
        do {
            _ = try await importer.import(from: archive, key: nil, onSchemaDifferences: { _ in true })
            Issue.record("import of \(archive) succeeded")
        } catch {
            #expect(error as? ArchiveError == expected, "unexpected error: \(error)")
        }
        #expect(try await failures.snapshot(strata) == before)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: strata.uploads.path).filter { $0.hasPrefix(".strata-import-") }
        #expect(hidden.isEmpty)
        try await strata.shutdown()
    }

    @Test func anAssetOverTheLimitIsRefusedAndNothingIsWritten() async throws {
        // The large original last, so four smaller files are staged before it is refused.
        let big = "assets/uploads/pexels_anna_nekrashevich_7552374_00d755b030.jpg"
        let archive = try FailedImportTests().modifiedFixture { entries in
            let moved = entries.filter { $0.path == big || $0.path == "assets/metadata/pexels_anna_nekrashevich_7552374_00d755b030.jpg.json" }
            entries.removeAll { moved.map(\.path).contains($0.path) }
            let index = entries.lastIndex { $0.path.hasPrefix("assets/uploads/") }! + 1
            entries.insert(contentsOf: moved, at: index)
        }
        try await expectRefusal(archive, limits: ImportLimits(maxAssetSize: 100_000), .limitExceeded(path: big, limit: .assetSize, bytes: 100_000))
        #expect(ArchiveError.limitExceeded(path: big, limit: .assetSize, bytes: 100_000).description
            == "Archive entry '\(big)' is larger than the maximum asset size of 100000 bytes (raise it with --max-asset-size or transfer.maxAssetSize in config/server.json).")
        // The default limit takes it.
        try await TestStrata.run(try Fixtures.epicProject()) { strata, _ in
            let summary = try await strata.importer.import(from: archive, key: nil)
            #expect(summary.assets.count == 5)
            #expect(FileManager.default.fileExists(atPath: strata.uploads.appendingPathComponent("pexels_anna_nekrashevich_7552374_00d755b030.jpg").path))
        }
    }

    @Test func aLineOverTheLimitIsRefusedAndNothingIsWritten() async throws {
        // An entity of a type the project lacks (skipped when accepted), 200 KB long, after the others.
        let padding = "{\"type\":\"api::nothing.nothing\",\"id\":1,\"data\":{\"pad\":\"\(String(repeating: "x", count: 200_000))\"}}"
        let archive = try FailedImportTests().modifiedFixture { entries in
            let index = entries.firstIndex { $0.path == "entities/entities_00001.jsonl" }!
            entries[index].bytes += Array("\n\(padding)\n".utf8)
        }
        try await expectRefusal(archive, limits: ImportLimits(maxLineSize: 64 << 10), .limitExceeded(path: "entities/entities_00001.jsonl", limit: .lineSize, bytes: 64 << 10))
        // The default limit takes it.
        try await TestStrata.run(try Fixtures.epicProject()) { strata, _ in
            let summary = try await strata.importer.import(from: archive, key: nil)
            #expect(summary.skipped.contains("entity api::nothing.nothing 1: no such content type in this project"))
        }
    }

    @Test func readingStopsAsSoonAsALineIsTooLong() async throws {
        let line = [UInt8](repeating: UInt8(ascii: "1"), count: 16 << 20)
        let bytes = tarEntry(RawTarHeader(name: "entities/entities_00001.jsonl", type: UInt8(ascii: "0"), size: Int64(line.count)), body: line) + endOfArchive
        let source = CountingSource(MemoryByteSource(bytes))
        let reader = ArchiveReader(tar: source, path: "test.tar")
        let entry = try #require(try reader.next())
        await #expect(throws: ArchiveError.limitExceeded(path: entry.path, limit: .lineSize, bytes: 1 << 20)) {
            try await reader.forEachRecord(entry, maxLineSize: 1 << 20) { _ in }
        }
        // The header, the line up to its limit and one more chunk: not the 16 MiB line.
        #expect(source.consumed <= 512 + (2 << 20))
        // At the limit exactly, lines are accepted.
        let exact = Array("[1,2]\n[3]\n".utf8)
        let fits = ArchiveReader(tar: MemoryByteSource(tarEntry(RawTarHeader(name: "a.jsonl", type: UInt8(ascii: "0"), size: Int64(exact.count)), body: exact) + endOfArchive), path: "t")
        var records: [JSONValue] = []
        try await fits.forEachRecord(try #require(try fits.next()), maxLineSize: 5) { records.append($0) }
        #expect(records.count == 2)
    }

    @Test func sizesParseWithSuffixes() throws {
        #expect(ByteSize.parse("1048576") == 1 << 20)
        #expect(ByteSize.parse("512K") == 512 << 10)
        #expect(ByteSize.parse("64m") == 64 << 20)
        #expect(ByteSize.parse(" 2 GiB ") == 2 << 30)
        #expect(ByteSize.parse("1GB") == 1 << 30)
        #expect(ByteSize.parse("3t") == 3 << 40)
        for invalid in ["", "M", "-1", "1.5G", "12X", "99999999999999999999", "9999999999T"] {
            #expect(ByteSize.parse(invalid) == nil, "\(invalid)")
        }
    }

    @Test func limitsComeFromServerConfiguration() throws {
        #expect(try ImportLimits(configuration: nil) == ImportLimits())
        #expect(ImportLimits().maxAssetSize == 1 << 30 && ImportLimits().maxLineSize == 64 << 20)
        // Without maxAssetSize, a larger upload sizeLimit raises the asset limit.
        #expect(try ImportLimits(configuration: nil, uploadSizeLimit: 5_000_000_000).maxAssetSize == 5_000_000_000)
        #expect(try ImportLimits(configuration: nil, uploadSizeLimit: 1000).maxAssetSize == 1 << 30)
        let configured = try ImportLimits(configuration: try JSONParser.parse(Array(#"{"maxAssetSize":"2G","maxLineSize":1000}"#.utf8)), uploadSizeLimit: 5_000_000_000)
        #expect(configured == ImportLimits(maxAssetSize: 2 << 30, maxLineSize: 1000))
        #expect(throws: TransferError("config/server.json: transfer.maxLineSize must be a positive number of bytes, optionally with K, M or G (\"512M\"), got \"lots\"")) {
            try ImportLimits(configuration: try JSONParser.parse(Array(#"{"maxLineSize":"lots"}"#.utf8)))
        }
        #expect(throws: TransferError("config/server.json: \"transfer\" must be an object")) { try ImportLimits(configuration: .string("1G")) }
        #expect(throws: TransferError.self) { try ImportLimits(configuration: try JSONParser.parse(Array(#"{"maxAssetSize":0}"#.utf8))) }
    }
}
