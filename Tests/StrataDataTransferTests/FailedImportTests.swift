import Foundation
import StrataCore
import StrataDataTransfer
import StrataDatabase
import StrataServer
import StrataSQL
import StrataTesting
import Testing

/// Strata's import is transactional: whatever goes wrong, the previous data and uploads stay.
@Suite("Failed imports leave everything intact")
struct FailedImportTests {
    struct Snapshot: Equatable {
        var rows: [String: Int]
        var uploads: [String]
        var global: String
    }

    func snapshot(_ strata: TestStrata) async throws -> Snapshot {
        var rows: [String: Int] = [:]
        for table in ["globals", "home_pages", "files", "files_related_mph", "up_roles", "up_permissions", "i18n_locale", "strapi_core_store_settings", "components_layout_headers"] {
            rows[table] = try await strata.rowCount(table)
        }
        let uploads = try FileManager.default.contentsOfDirectory(atPath: strata.uploads.path).sorted()
        let global = try await strata.test { client in try await client.get("/api/global?populate=*").text }
        return Snapshot(rows: rows, uploads: uploads, global: global)
    }

    /// Boots the epic project with the Strapi archive imported and a file of its own in uploads.
    func prepared() async throws -> TestStrata {
        let strata = try await TestStrata.boot(try Fixtures.epicProject())
        _ = try await strata.importer.import(from: Fixtures.epicArchive, key: nil)
        try Data("mine".utf8).write(to: strata.uploads.appendingPathComponent("mine.txt"))
        return strata
    }

    func expectFailure(_ archive: String, key: String? = nil, _ check: (any Error) -> Bool) async throws {
        let strata = try await prepared()
        let before = try await snapshot(strata)
        do {
            _ = try await strata.importer.import(from: archive, key: key, onSchemaDifferences: { _ in true })
            Issue.record("import of \(archive) succeeded")
        } catch {
            #expect(check(error), "unexpected error: \(error)")
        }
        let after = try await snapshot(strata)
        #expect(after == before)
        try await strata.shutdown()
    }

    func exported(_ format: ArchiveFormat, key: String?) async throws -> String {
        let strata = try await prepared()
        let path = try temporaryDirectory().appendingPathComponent("x" + format.fileExtension).path
        _ = try await strata.exporter.export(to: path, format: format, key: key)
        try await strata.shutdown()
        return path
    }

    @Test func wrongKey() async throws {
        let path = try await exported(ArchiveFormat(compressed: true, encryption: .strapi), key: "right")
        try await expectFailure(path, key: "wrong") { ($0 as? ArchiveError) == .wrongKey(path) }
        let sealed = try await exported(ArchiveFormat(compressed: true, encryption: .sealed), key: "right")
        try await expectFailure(sealed, key: "wrong") { ($0 as? ArchiveError) == .wrongKey(sealed) }
    }

    @Test func truncatedFiles() async throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: Fixtures.epicArchive))
        for fraction in [0.1, 0.6, 0.999] {
            let path = try temporaryDirectory().appendingPathComponent("cut.tar.gz").path
            try full.prefix(Int(Double(full.count) * fraction)).write(to: URL(fileURLWithPath: path))
            try await expectFailure(path) { $0 is ArchiveError }
        }
        // Encrypted and cut: AES-ECB cannot tell, but the gzip/tar layers below can.
        let encrypted = try await exported(ArchiveFormat(compressed: true, encryption: .strapi), key: "k")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: encrypted))
        try bytes.prefix(bytes.count / 16 * 8).write(to: URL(fileURLWithPath: encrypted))
        try await expectFailure(encrypted, key: "k") { $0 is ArchiveError }
    }

    @Test func tamperedCiphertext() async throws {
        let ecb = try await exported(ArchiveFormat(compressed: true, encryption: .strapi), key: "k")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: ecb))
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: ecb))
        try await expectFailure(ecb, key: "k") { $0 is ArchiveError }
        let sealed = try await exported(ArchiveFormat(compressed: true, encryption: .sealed), key: "k")
        var sealedBytes = try Data(contentsOf: URL(fileURLWithPath: sealed))
        sealedBytes[sealedBytes.count / 2] ^= 0x01
        try sealedBytes.write(to: URL(fileURLWithPath: sealed))
        try await expectFailure(sealed, key: "k") { ($0 as? ArchiveError) == .tampered(sealed) }
    }

    @Test func notAnArchive() async throws {
        let directory = try temporaryDirectory()
        let garbage = directory.appendingPathComponent("random.tar.gz").path
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: garbage))
        try await expectFailure(garbage) { $0 is ArchiveError }
        let plain = directory.appendingPathComponent("text.tar").path
        try Data(String(repeating: "hello ", count: 300).utf8).write(to: URL(fileURLWithPath: plain))
        try await expectFailure(plain) { ($0 as? ArchiveError) == .notAnArchive(plain) }
        let zip = directory.appendingPathComponent("x.zip").path
        try Data().write(to: URL(fileURLWithPath: zip))
        try await expectFailure(zip) { ($0 as? ArchiveError) == .invalidExtension(zip) }
    }

    /// The fixture's entries with one changed by `edit`.
    func modifiedFixture(_ edit: (inout [(path: String, bytes: [UInt8])]) -> Void) throws -> String {
        var entries = try archiveEntries(Fixtures.epicArchive)
        edit(&entries)
        let path = try temporaryDirectory().appendingPathComponent("modified.tar.gz").path
        try writeArchive(entries, to: path)
        return path
    }

    @Test func invalidJSONAndRecords() async throws {
        let badJSON = try modifiedFixture { entries in
            let index = entries.firstIndex { $0.path == "links/links_00001.jsonl" }!
            entries[index].bytes += Array("\n{\"kind\":".utf8)
        }
        try await expectFailure(badJSON) {
            guard case .invalidRecord(let path, _)? = $0 as? ArchiveError else { return false }
            return path == "links/links_00001.jsonl"
        }
        let badValue = try modifiedFixture { entries in
            let index = entries.firstIndex { $0.path == "entities/entities_00001.jsonl" }!
            entries[index].bytes += Array("\n{\"type\":\"plugin::upload.file\",\"id\":99,\"data\":{\"documentId\":\"x\",\"width\":\"wide\"}}".utf8)
        }
        try await expectFailure(badValue) { $0 is ArchiveError }
        let noMetadata = try modifiedFixture { entries in entries.removeLast() }
        try await expectFailure(noMetadata) { $0 is ArchiveError }
    }

    @Test func hostileEntries() async throws {
        for path in ["../../evil.txt", "/etc/evil", "assets/uploads/../../../evil"] {
            let archive = try modifiedFixture { entries in entries.insert((path, Array("x".utf8)), at: 3) }
            try await expectFailure(archive) {
                guard case .unsafeEntry? = $0 as? ArchiveError else { return false }
                return true
            }
        }
        let hidden = try modifiedFixture { entries in entries.insert(("assets/uploads/.htaccess", Array("x".utf8)), at: 3) }
        try await expectFailure(hidden) {
            guard case .unsafeEntry? = $0 as? ArchiveError else { return false }
            return true
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.txt"))
    }

    @Test func schemaMismatchIsRefusedUnlessForced() async throws {
        // The same archive into a project whose global type lacks `description`.
        var project = try Fixtures.epicProject()
        let key = "src/api/global/content-types/global/schema.json"
        var schema = try JSONParser.parse(project.files[key]!).objectValue!
        var attributes = schema["attributes"]!.objectValue!
        _ = attributes.removeValue(forKey: "description")
        schema["attributes"] = .object(attributes)
        project.files[key] = JSONWriter.prettyString(.object(schema))
        try await TestStrata.run(project) { strata, client in
            let log = DifferenceLog()
            await #expect(throws: TransferError("Unresolved differences in schema")) {
                try await strata.importer.import(from: Fixtures.epicArchive, key: nil, onSchemaDifferences: { log.record($0); return false })
            }
            #expect(log.differences.map(\.description) == [
                "api::global.global.attributes.description exists in source schema but not in destination schema and the data will not be transferred.",
            ])
            #expect(try await strata.rowCount("globals") == 0)
            let summary = try await strata.importer.import(from: Fixtures.epicArchive, key: nil, onSchemaDifferences: { _ in true })
            #expect(summary.entities.count == 19)
            let global = try await client.get("/api/global")
            #expect(global.data?["title"] != nil)
            #expect(global.data?["description"] == nil)
        }
    }
}
