import Foundation
import StrataCore
import Testing

@Suite("strata export / import")
struct DataTransferCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A project folder with the schemas of the project that produced the Strapi fixture archive.
    func epicProject() throws -> URL {
        let directory = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("epic-next-strapi-5-seed-data-schemas/src"), to: directory.appendingPathComponent("src"))
        return directory
    }

    @Test func importThenExportThroughTheCLI() throws {
        let project = try epicProject()
        let archive = Self.fixtures.appendingPathComponent("strapi-exports/epic-next-strapi-5-seed-data.tar.gz").path

        // No terminal and no --force: refuse instead of waiting for an answer.
        let refused = try CLI.run(["import", "-f", archive], in: project)
        #expect(refused.status == 1)
        #expect(refused.error.contains("pass --force"))

        let imported = try CLI.run(["import", "-f", archive, "--force"], in: project)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.contains("Import process has been completed successfully!"))
        #expect(imported.output.contains("| -- api::global.global"))
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("public/uploads/pexels_anna_nekrashevich_7552374_00d755b030.jpg").path))

        let noKey = try CLI.run(["export"], in: project)
        #expect(noKey.status == 1)
        #expect(noKey.error.contains("pass --key"))
        let keyWithoutEncryption = try CLI.run(["export", "--no-encrypt", "--key", "k"], in: project)
        #expect(keyWithoutEncryption.error.contains("Key may not be present unless encryption is used"))

        let target = project.appendingPathComponent("backup").path
        let exported = try CLI.run(["export", "-f", target, "--key", "pass", "--exclude", "config"], in: project)
        #expect(exported.status == 0, "\(exported.error)")
        #expect(exported.output.contains("Export archive is in \(target).tar.gz.enc"))
        #expect(FileManager.default.fileExists(atPath: target + ".tar.gz.enc"))

        let defaultName = try CLI.run(["export", "--no-encrypt", "--no-compress"], in: project)
        #expect(defaultName.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: project.path)
        #expect(names.contains { $0.hasPrefix("export_") && $0.hasSuffix(".tar") && $0.count == "export_20261122133027.tar".count })

        let wrongKey = try CLI.run(["import", "-f", target + ".tar.gz.enc", "--key", "nope", "--force"], in: project)
        #expect(wrongKey.status == 1)
        #expect(wrongKey.error.contains("Key is incorrect or the file"))
        #expect(wrongKey.error.contains("Import process failed."))

        let again = try CLI.run(["import", "-f", target + ".tar.gz.enc", "--key", "pass", "--force", "--only", "content"], in: project)
        #expect(again.status == 0, "\(again.error)")

        let badOption = try CLI.run(["import", "-f", archive, "--force", "--only", "files", "--exclude", "files"], in: project)
        #expect(badOption.error.contains("Data types may not be used in both \"exclude\" and \"only\" in the same command. Found in both: files"))
        let badName = try CLI.run(["import", "-f", "data.zip", "--force"], in: project)
        #expect(badName.error.contains("It must have an extension ending in .tar[.gz][.enc]"))
    }
}
