import Foundation
import StrataCore
import StrataDataTransfer
import StrataDatabase
import StrataServer
import StrataWebhooks
import StrataTesting
import Testing

/// Webhooks travel in the configuration stage, as Strapi writes them: after every core-store row,
/// `{"type":"webhook","value":{id, name, url, headers, events, enabled}}`.
@Suite("Webhooks in archives")
struct WebhookTransferTests {
    @Test func exportedAndImportedWithTheConfiguration() async throws {
        let directory = try temporaryDirectory()
        let source = try await TestStrata.boot(try Fixtures.epicProject())
        _ = try await source.importer.import(from: Fixtures.epicArchive, key: nil)
        let deploy = try await source.app.webhooks.create(Webhook(name: "deploy", url: "https://ci.example.com/build", headers: [("X-Token", "t0k")], events: ["entry.publish", "entry.unpublish"]))
        let off = try await source.app.webhooks.create(Webhook(name: "off", url: "https://example.com/off", events: ["media.create"], isEnabled: false))
        let path = directory.appendingPathComponent("export.tar.gz").path
        let exported = try await source.exporter.export(to: path, format: ArchiveFormat(compressed: true, encryption: nil), key: nil)
        try await source.shutdown()
        #expect(exported.configuration.count == 36)

        let configuration = try records(try archiveEntries(path), stage: "configuration")
        let types = configuration.compactMap { $0["type"]?.stringValue }
        #expect(types.suffix(2) == ["webhook", "webhook"], "core-store rows first, then webhooks")
        #expect(configuration.last == ["type": "webhook", "value": [
            "id": .int(off.id), "name": "off", "url": "https://example.com/off", "headers": [:], "events": ["media.create"], "enabled": false,
        ]])

        let destination = try await TestStrata.boot(try Fixtures.epicProject())
        _ = try await destination.app.webhooks.create(Webhook(name: "replaced", url: "https://example.com/old", events: []))
        let summary = try await destination.importer.import(from: path, key: nil)
        #expect(summary.configuration.count == 36)
        #expect(summary.skipped.isEmpty)
        let restored = try await destination.app.webhooks.findMany()
        #expect(restored.map(\.name) == ["deploy", "off"], "the import replaces the destination's webhooks")
        #expect(restored[0].url == deploy.url && restored[0].events == deploy.events && restored[0].isEnabled)
        #expect(restored[0].headers.map(\.name) == ["X-Token"] && restored[0].headers.map(\.value) == ["t0k"])
        #expect(!restored[1].isEnabled)

        // Excluding the configuration empties it, webhooks included (the seed's warning).
        _ = try await destination.importer.import(from: path, key: nil, selection: try TransferSelection(only: [], exclude: ["config"]))
        #expect(try await destination.app.webhooks.findMany().isEmpty)
        try await destination.shutdown()
    }

    @Test func aWebhookRecordWithoutAURLStopsTheImport() async throws {
        var entries = try archiveEntries(Fixtures.epicArchive)
        let index = try #require(entries.firstIndex { $0.path == "configuration/configuration_00001.jsonl" })
        entries[index].bytes += Array("\n{\"type\":\"webhook\",\"value\":{\"id\":1,\"name\":\"broken\"}}".utf8)
        let path = try temporaryDirectory().appendingPathComponent("broken.tar.gz").path
        try writeArchive(entries, to: path)
        let strata = try await TestStrata.boot(try Fixtures.epicProject())
        await #expect(throws: ArchiveError.invalidRecord(path: "configuration/configuration_00001.jsonl", message: "a webhook record has no name or url")) {
            _ = try await strata.importer.import(from: path, key: nil)
        }
        try await strata.shutdown()
    }
}
