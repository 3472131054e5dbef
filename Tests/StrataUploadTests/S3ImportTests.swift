import Foundation
import HTTPTypes
import StrataCore
import StrataDataTransfer
import StrataServer
import StrataTesting
@testable import StrataUpload
import Testing

@Suite("strata import into a project whose upload provider is aws-s3")
struct S3ImportTests {
    /// Exports a local project holding one uploaded JPEG (original + 4 formats) used as an article's cover.
    func exportLocalProject(uploading filename: String, to archive: String) async throws -> String {
        let source = try await TestStrata.boot(mediaProject())
        do {
            let hash: String = try await source.test { client in
                let upload = try await client.send(.post, "/api/upload", multipart: multipart([(filename, "image/jpeg", try fixture("landscape.jpg"))]))
                let file = try #require(upload.json?[0])
                #expect(try await client.post("/api/articles", json: ["data": ["title": "Cover", "cover": file["id"] ?? .null]]).status == 201)
                return try #require(file["hash"]?.stringValue)
            }
            _ = try await ArchiveExporter(environment: source.app.transferEnvironment).export(to: archive, format: ArchiveFormat(compressed: true, encryption: nil), key: nil)
            try await source.shutdown()
            return hash
        } catch {
            try? await source.shutdown()
            throw error
        }
    }

    static func objectNames(_ hash: String) -> [String] {
        ["", "thumbnail_", "large_", "medium_", "small_"].map { "\($0)\(hash).jpg" }
    }

    @Test("assets go to the bucket, file rows and formats point at it; a failed import removes only what it uploaded")
    func importIntoS3() async throws {
        try await withMoto { moto in
            try await moto.createBucket("imported")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-s3-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let first = directory.appendingPathComponent("first.tar.gz").path
            let second = directory.appendingPathComponent("second.tar.gz").path
            let hash = try await exportLocalProject(uploading: "photo.jpg", to: first)
            let otherHash = try await exportLocalProject(uploading: "other.jpg", to: second)

            let config: [String: JSONValue] = ["plugins": ["upload": ["config": ["provider": "aws-s3", "providerOptions": .object(moto.providerOptions(bucket: "imported"))]]]]
            let target = try await TestStrata.boot(mediaProject(config: config))
            do {
                let summary = try await ArchiveImporter(environment: target.app.transferEnvironment).import(from: first, key: nil)
                #expect(summary.assets.count == 5)
                for name in Self.objectNames(hash) {
                    #expect(try await moto.object(bucket: "imported", key: name) != nil, "\(name) is in the bucket")
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: "\(target.directory)/public/uploads").filter { !$0.hasPrefix(".") }.isEmpty)
                try await target.test { client in
                    let files = try await client.get("/api/upload/files")
                    let file = try #require(files.json?[0])
                    #expect(file["provider"] == "aws-s3")
                    #expect(file["url"]?.stringValue == "\(moto.endpoint)/imported/\(hash).jpg")
                    #expect(file["formats"]?["thumbnail"]?["url"]?.stringValue == "\(moto.endpoint)/imported/thumbnail_\(hash).jpg")
                    let article = try await client.get("/api/articles?populate=cover")
                    #expect(article.data?[0]?["cover"]?["url"] == file["url"])
                }

                // The second archive, cut short after its assets: the import fails, the objects it
                // uploaded are removed, the previous data and its objects stay.
                let bytes = try Data(contentsOf: URL(fileURLWithPath: second))
                let truncated = directory.appendingPathComponent("truncated.tar.gz").path
                try bytes.prefix(bytes.count - 64).write(to: URL(fileURLWithPath: truncated))
                await #expect(throws: (any Error).self) { try await ArchiveImporter(environment: target.app.transferEnvironment).import(from: truncated, key: nil) }
                for name in Self.objectNames(hash) {
                    #expect(try await moto.object(bucket: "imported", key: name) != nil, "\(name) survived the failed import")
                }
                for name in Self.objectNames(otherHash) {
                    #expect(try await moto.object(bucket: "imported", key: name) == nil, "\(name) was removed with the failed import")
                }
                #expect(try await target.rowCount("files") == 1)

                // The second archive, whole: its objects replace the first one's after the commit.
                _ = try await ArchiveImporter(environment: target.app.transferEnvironment).import(from: second, key: nil)
                for name in Self.objectNames(otherHash) {
                    #expect(try await moto.object(bucket: "imported", key: name) != nil)
                }
                for name in Self.objectNames(hash) {
                    #expect(try await moto.object(bucket: "imported", key: name) == nil, "\(name) is no longer referenced")
                }
                try await target.shutdown()
            } catch {
                try? await target.shutdown()
                throw error
            }
        }
    }
}
