import Foundation
import StrataCore
import StrataDataTransfer
import StrataPostgres
import StrataTestDatabase
import Testing

@Suite("strata export / import")
struct DataTransferCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A project folder with the schemas of the project that produced the Strapi fixture archive.
    func epicProject() throws -> URL {
        let directory = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("epic-next-strapi-5-seed-data-schemas/src"), to: directory.appendingPathComponent("src"))
        // On the Postgres pass the project uses a fresh schema there, configured as a user would.
        if let url = TestDatabase.postgresURL, let schema = TestDatabase.postgresConfiguration()?.schema {
            try "DATABASE_CLIENT=postgres\nDATABASE_URL=\(url)\nDATABASE_SCHEMA=\(schema)\n".write(
                to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func importThenExportThroughTheCLI() async throws {
        let project = try epicProject()
        let archive = Self.fixtures.appendingPathComponent("strapi-exports/epic-next-strapi-5-seed-data.tar.gz").path

        // No terminal and no --force: refuse instead of waiting for an answer.
        let refused = try await CLI.run(["import", "-f", archive], in: project)
        #expect(refused.status == 1)
        #expect(refused.error.contains("pass --force"))

        let imported = try await CLI.run(["import", "-f", archive, "--force"], in: project)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.contains("Import process has been completed successfully!"))
        #expect(imported.output.contains("| -- api::global.global"))
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("public/uploads/pexels_anna_nekrashevich_7552374_00d755b030.jpg").path))

        let noKey = try await CLI.run(["export"], in: project)
        #expect(noKey.status == 1)
        #expect(noKey.error.contains("pass --key"))
        let keyWithoutEncryption = try await CLI.run(["export", "--no-encrypt", "--key", "k"], in: project)
        #expect(keyWithoutEncryption.error.contains("Key may not be present unless encryption is used"))

        let target = project.appendingPathComponent("backup").path
        let exported = try await CLI.run(["export", "-f", target, "--key", "pass", "--exclude", "config"], in: project)
        #expect(exported.status == 0, "\(exported.error)")
        #expect(exported.output.contains("Export archive is in \(target).tar.gz.enc"))
        #expect(FileManager.default.fileExists(atPath: target + ".tar.gz.enc"))

        let defaultName = try await CLI.run(["export", "--no-encrypt", "--no-compress"], in: project)
        #expect(defaultName.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: project.path)
        #expect(names.contains { $0.hasPrefix("export_") && $0.hasSuffix(".tar") && $0.count == "export_20261122133027.tar".count })

        let wrongKey = try await CLI.run(["import", "-f", target + ".tar.gz.enc", "--key", "nope", "--force"], in: project)
        #expect(wrongKey.status == 1)
        #expect(wrongKey.error.contains("Key is incorrect or the file"))
        #expect(wrongKey.error.contains("Import process failed."))

        let again = try await CLI.run(["import", "-f", target + ".tar.gz.enc", "--key", "pass", "--force", "--only", "content"], in: project)
        #expect(again.status == 0, "\(again.error)")

        // Strata's authenticated format: written on request, recognised on import by itself.
        let sealed = project.appendingPathComponent("sealed").path
        let sealedExport = try await CLI.run(["export", "-f", sealed, "--key", "pass", "--encryption", "aes-256-gcm"], in: project)
        #expect(sealedExport.status == 0, "\(sealedExport.error)")
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: sealed + ".tar.gz.enc")).read(upToCount: 8)
        #expect(header.map { String(decoding: $0, as: UTF8.self) } == "STRATAGC")
        let sealedImport = try await CLI.run(["import", "-f", sealed + ".tar.gz.enc", "--key", "pass", "--force"], in: project)
        #expect(sealedImport.status == 0, "\(sealedImport.error)")
        let badCipher = try await CLI.run(["export", "--key", "k", "--encryption", "rot13"], in: project)
        #expect(badCipher.error.contains("Unknown encryption 'rot13'"))

        let badOption = try await CLI.run(["import", "-f", archive, "--force", "--only", "files", "--exclude", "files"], in: project)
        #expect(badOption.error.contains("Data types may not be used in both \"exclude\" and \"only\" in the same command. Found in both: files"))
        let badName = try await CLI.run(["import", "-f", "data.zip", "--force"], in: project)
        #expect(badName.error.contains("It must have an extension ending in .tar[.gz][.enc]"))
    }
}

@Suite("strata import killed mid-way")
struct KilledImportTests {
    @Test func killingAnImportChangesNothing() async throws {
        let project = try DataTransferCLITests().epicProject()
        let fixture = DataTransferCLITests.fixtures.appendingPathComponent("strapi-exports/epic-next-strapi-5-seed-data.tar.gz").path
        let first = try await CLI.run(["import", "-f", fixture, "--force"], in: project)
        #expect(first.status == 0, "\(first.error)")
        let rolesBefore = try await CLI.run(["roles:list", "--json"], in: project).output
        let uploadsBefore = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/uploads").path).filter { !$0.hasPrefix(".") }.sorted()

        // The fixture plus many more entities, so the import is still running when it is killed.
        let reader = try ArchiveReader(path: fixture, key: nil)
        let big = project.appendingPathComponent("big.tar.gz").path
        let file = try FileByteSink(path: big)
        let tar = TarWriter(try GzipSink(file), modificationTime: 0)
        while let entry = try reader.next() {
            var bytes = try reader.readAll(entry, limit: 1 << 30)
            if entry.path == "entities/entities_00001.jsonl" {
                for index in 0..<60_000 {
                    bytes += Array("\n{\"type\":\"plugin::users-permissions.permission\",\"id\":\(1000 + index),\"data\":{\"documentId\":\"bulk\(index)\",\"action\":\"api::x.x.find\",\"createdAt\":\"2025-01-01T00:00:00.000Z\",\"updatedAt\":\"2025-01-01T00:00:00.000Z\",\"publishedAt\":\"2025-01-01T00:00:00.000Z\",\"locale\":null}}".utf8)
                }
            }
            if entry.path.hasPrefix("assets/uploads/") {
                // Renamed files are new to the destination, so the import would add them.
                try tar.addEntry(path: entry.path.replacingOccurrences(of: "pexels", with: "new"), bytes: bytes)
                continue
            }
            if entry.path.hasPrefix("assets/metadata/") { continue }
            try tar.addEntry(path: entry.path, bytes: bytes)
        }
        try tar.finish()

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["import", "-f", big, "--force"]
        process.currentDirectoryURL = project
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .milliseconds(1500))
        #expect(process.isRunning, "the import finished before it could be killed; make the archive bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let rolesAfter = try await CLI.run(["roles:list", "--json"], in: project).output
        #expect(rolesAfter == rolesBefore)
        let uploadsAfter = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/uploads").path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(uploadsAfter == uploadsBefore)
        // And the project still imports normally afterwards (the stale staging folder is cleaned up).
        let again = try await CLI.run(["import", "-f", fixture, "--force"], in: project)
        #expect(again.status == 0, "\(again.error)")
        let hidden = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/uploads").path).filter { $0.hasPrefix(".strata-import-") }
        #expect(hidden.isEmpty)
    }
}
