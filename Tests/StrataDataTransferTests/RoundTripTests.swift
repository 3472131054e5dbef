import Foundation
import StrataCore
import StrataDataTransfer
import StrataServer
import StrataDatabase
import StrataSQL
import StrataTesting
import Testing

@Suite("Export and import round trips")
struct RoundTripTests {
    /// Imports the Strapi fixture, then exports it with `format`.
    func exportEpic(_ strata: TestStrata, to directory: URL, format: ArchiveFormat, key: String?, selection: TransferSelection = .all) async throws -> String {
        _ = try await strata.importer.import(from: Fixtures.epicArchive, key: nil)
        let path = directory.appendingPathComponent("export" + format.fileExtension).path
        _ = try await strata.exporter.export(to: path, format: format, key: key, selection: selection)
        return path
    }

    @Test(arguments: [
        ArchiveFormat(compressed: true, encryption: .strapi),
        ArchiveFormat(compressed: true, encryption: nil),
        ArchiveFormat(compressed: false, encryption: nil),
        ArchiveFormat(compressed: false, encryption: .strapi),
        ArchiveFormat(compressed: true, encryption: .sealed),
    ])
    func exportImportExportIsStable(format: ArchiveFormat) async throws {
        let directory = try temporaryDirectory()
        let key = format.encryption == nil ? nil : "correct horse"
        let first = try await TestStrata.boot(try Fixtures.epicProject())
        let firstPath = try await exportEpic(first, to: directory, format: format, key: key)
        try await first.shutdown()

        let second = try await TestStrata.boot(try Fixtures.epicProject())
        let summary = try await second.importer.import(from: firstPath, key: key)
        #expect(summary.entities.count == 19)
        #expect(summary.links.count == 32)
        #expect(summary.assets.count == 5)
        #expect(summary.configuration.count == 34)
        let secondPath = directory.appendingPathComponent("again" + format.fileExtension).path
        _ = try await second.exporter.export(to: secondPath, format: format, key: key)
        try await second.shutdown()

        let a = try archiveEntries(firstPath, key: key), b = try archiveEntries(secondPath, key: key)
        #expect(a.map(\.path) == b.map(\.path))
        for (left, right) in zip(a, b) where left.path != "metadata.json" {
            #expect(left.bytes == right.bytes, "\(left.path) differs")
        }
        // Strapi's layout: stage order, metadata last, sidecar before each upload.
        let paths = a.map(\.path)
        #expect(paths.first == "schemas/schemas_00001.jsonl")
        #expect(paths.last == "metadata.json")
        #expect(paths.firstIndex(of: "entities/entities_00001.jsonl")! < paths.firstIndex(where: { $0.hasPrefix("assets/") })!)
        #expect(paths.lastIndex(where: { $0.hasPrefix("assets/") })! < paths.firstIndex(of: "links/links_00001.jsonl")!)
        #expect(paths.firstIndex(of: "links/links_00001.jsonl")! < paths.firstIndex(of: "configuration/configuration_00001.jsonl")!)
        for (index, path) in paths.enumerated() where path.hasPrefix("assets/uploads/") {
            #expect(paths[index - 1] == "assets/metadata/" + path.dropFirst("assets/uploads/".count) + ".json")
        }
    }

    @Test func exportedRecordsMatchStrapisShapes() async throws {
        let directory = try temporaryDirectory()
        try await TestStrata.run(try Fixtures.epicProject()) { strata, _ in
            let path = try await exportEpic(strata, to: directory, format: ArchiveFormat(compressed: true, encryption: nil), key: nil)
            let ours = try archiveEntries(path)
            let theirs = try archiveEntries(Fixtures.epicArchive)
            // Schemas Strata models are byte-identical to Strapi's normalised records.
            let strapiSchemas = Dictionary(uniqueKeysWithValues: try records(theirs, stage: "schemas").map { ($0["uid"]!.stringValue!, $0) })
            for schema in try records(ours, stage: "schemas") {
                let uid = schema["uid"]!.stringValue!
                guard let expected = strapiSchemas[uid] else { continue }
                #expect(JSONWriter.string(schema) == JSONWriter.string(expected), "\(uid)")
            }
            // Entities: same keys in the same order, same values except ids.
            let strapiEntities = try records(theirs, stage: "entities")
            let ourEntities = try records(ours, stage: "entities")
            #expect(Set(ourEntities.map { $0["data"]!["documentId"]! }) == Set(strapiEntities.map { $0["data"]!["documentId"]! }))
            for entity in strapiEntities {
                let documentId = entity["data"]!["documentId"]!
                let match = ourEntities.first { $0["data"]!["documentId"] == documentId && $0["data"]!["publishedAt"]!.isNull == entity["data"]!["publishedAt"]!.isNull }
                if TestStrata.preservesJSONKeyOrder {
                    #expect(match.map { withoutIDs($0["data"]!) } == withoutIDs(entity["data"]!), "\(entity["type"]!) \(documentId)")
                } else {
                    #expect(match.map { withoutIDs($0["data"]!).sortingKeys } == withoutIDs(entity["data"]!).sortingKeys, "\(entity["type"]!) \(documentId)")
                }
            }
            // Links: same kinds and shapes (keys in Strapi's order).
            let strapiLinks = try records(theirs, stage: "links")
            let ourLinks = try records(ours, stage: "links")
            #expect(ourLinks.count == strapiLinks.count)
            func shape(_ link: JSONValue) -> String {
                "\(link["kind"]!) \(link["relation"]!) \(link["left"]!.objectValue!.keys) \(link["right"]!.objectValue!.keys)"
            }
            #expect(ourLinks.map(shape).sorted() == strapiLinks.map(shape).sorted())
            // Assets: the same files with the same bytes.
            let strapiAssets = theirs.filter { $0.path.hasPrefix("assets/uploads/") }
            let ourAssets = ours.filter { $0.path.hasPrefix("assets/uploads/") }
            #expect(ourAssets.map(\.path).sorted() == strapiAssets.map(\.path).sorted())
            for asset in strapiAssets {
                #expect(ourAssets.first { $0.path == asset.path }?.bytes == asset.bytes)
            }
            // JSONL files follow Strapi's separator rule: no trailing newline.
            for entry in ours where entry.path.hasSuffix(".jsonl") {
                #expect(entry.bytes.last != 0x0A)
            }
            let metadata = try JSONParser.parse(ours.last!.bytes)
            #expect(metadata["createdAt"]?.stringValue?.hasSuffix("Z") == true)
        }
    }

    @Test(arguments: [
        ([], []), (["content"], []), (["files"], []), (["config"], []), (["content", "files"], []),
        ([], ["content"]), ([], ["files"]), ([], ["config"]), ([], ["files", "config"]),
    ] as [([String], [String])])
    func onlyAndExcludeSelectStages(only: [String], exclude: [String]) async throws {
        let selection = try TransferSelection(only: only, exclude: exclude)
        let directory = try temporaryDirectory()
        let strata = try await TestStrata.boot(try Fixtures.epicProject())
        let path = try await exportEpic(strata, to: directory, format: ArchiveFormat(compressed: true, encryption: nil), key: nil, selection: selection)
        try await strata.shutdown()
        let stages = Set(try archiveEntries(path).map { String($0.path.split(separator: "/").first!) })
        #expect(stages.contains("schemas"))
        #expect(stages.contains("entities") == selection.content)
        #expect(stages.contains("links") == selection.content)
        #expect(stages.contains("assets") == selection.files)
        #expect(stages.contains("configuration") == selection.config)

        // Importing the full archive with the same selection imports only those stages; like
        // `strapi import` (and its documentation's warning), everything else is emptied.
        let target = try await TestStrata.boot(try Fixtures.epicProject())
        let marker = target.uploads.appendingPathComponent("kept.txt")
        try Data("x".utf8).write(to: marker)
        let summary = try await target.importer.import(from: Fixtures.epicArchive, key: nil, selection: selection)
        #expect((summary.entities.count == 19) == selection.content)
        #expect((summary.assets.count == 5) == selection.files)
        #expect((summary.configuration.count == 34) == selection.config)
        #expect(try await target.rowCount("globals") == (selection.content ? 2 : 0))
        #expect(try await target.rowCount("up_roles") == (selection.content ? 2 : 0))
        let uploadSettings = try await target.app.database.client.raw("SELECT id FROM strapi_core_store_settings WHERE key = 'plugin_upload_settings'")
        #expect(uploadSettings.count == (selection.config ? 1 : 0))
        #expect(FileManager.default.fileExists(atPath: target.uploads.appendingPathComponent("pexels_anna_nekrashevich_7552374_00d755b030.jpg").path) == selection.files)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        try await target.shutdown()
    }

    @Test func selectionOptionsAreValidated() throws {
        #expect(throws: TransferError("Data types may not be used in both \"exclude\" and \"only\" in the same command. Found in both: files")) {
            try TransferSelection(only: ["files", "content"], exclude: ["files"])
        }
        #expect(throws: TransferError.self) { try TransferSelection(only: ["media"], exclude: []) }
        #expect(try TransferSelection(only: [], exclude: ["files", "config"]) == TransferSelection(content: true, files: false, config: false))
    }
}

/// A record's data without `id` keys (ids are reassigned on import, as in Strapi).
func withoutIDs(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(var object):
        _ = object.removeValue(forKey: "id")
        return .object(JSONObject(object.map { ($0.key, withoutIDs($0.value)) }))
    case .array(let items): return .array(items.map(withoutIDs))
    default: return value
    }
}
