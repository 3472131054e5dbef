import Crypto
import Foundation
import HTTPTypes
import StrataCore
import StrataServer
import StrataTesting
@testable import StrataUpload
import Testing

@Suite("aws-s3 provider against a real S3 API (moto on 127.0.0.1)")
struct S3ProviderTests {
    @Test("SigV4 matches AWS's documented GET Object example")
    func signatureKnownAnswer() throws {
        let signer = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z
        let headers = signer.sign(method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!,
                                  headers: ["Range": "bytes=0-9"], payloadHash: S3Signer.emptyPayloadHash, date: date)
        #expect(headers["authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers["x-amz-date"] == "20130524T000000Z")
    }

    @Test("keys, URLs and options follow Strapi's provider: rootPath, baseUrl, path or virtual-hosted style")
    func urls() async throws {
        try await withS3Provider([
            "s3Options": ["credentials": ["accessKeyId": "a", "secretAccessKey": "b"], "region": "eu-west-3", "params": ["Bucket": "media"]],
            "rootPath": "site",
        ]) { virtual in
            #expect(virtual.key(for: "a_1.png") == "site/a_1.png")
            #expect(virtual.publicURL(for: "site/a_1.png") == "https://media.s3.eu-west-3.amazonaws.com/site/a_1.png")
        }
        try await withS3Provider([
            "accessKeyId": "a", "secretAccessKey": "b", "region": "us-east-1", "params": ["Bucket": "media"], "baseUrl": "https://cdn.example.com/",
        ]) { cdn in
            #expect(cdn.publicURL(for: "a_1.png") == "https://cdn.example.com/a_1.png", "v4-style top-level credentials and a baseUrl")
        }
        #expect(throws: UploadConfigurationError.self) { try S3UploadProvider(options: ["s3Options": ["params": ["Bucket": "x"]]]) }
        #expect(throws: UploadConfigurationError.self) {
            try S3UploadProvider(options: ["s3Options": ["credentials": ["accessKeyId": "a", "secretAccessKey": "b"]]])
        }
    }

    @Test("PUT, multipart upload of a large file, and DELETE round-trip through the S3 API")
    func providerRoundTrip() async throws {
        try await withMoto { moto in
            try await moto.createBucket("strata")
            try await withS3Provider(moto.providerOptions(bucket: "strata", rootPath: "uploads", partSize: 5 * 1024 * 1024)) { provider in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-s3-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            let small = try fixture("small.png")
            let smallPath = directory.appendingPathComponent("small").path
            _ = FileManager.default.createFile(atPath: smallPath, contents: Data(small))
            let stored = try await provider.upload(ProviderFile(hash: "small_abc", ext: ".png", mime: "image/png", sizeInBytes: Int64(small.count), contentPath: smallPath))
            #expect(stored.url == "\(moto.endpoint)/strata/uploads/small_abc.png")
            let object = try await moto.object(bucket: "strata", key: "uploads/small_abc.png")
            #expect(object?.bytes == small)
            #expect(object?.contentType == "image/png")

            // 12 MiB with 5 MiB parts: three parts, the last one short.
            var generator = SystemRandomNumberGenerator()
            let large = (0..<(12 * 1024 * 1024 / 8)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
            let largePath = directory.appendingPathComponent("large").path
            _ = FileManager.default.createFile(atPath: largePath, contents: Data(large))
            _ = try await provider.upload(ProviderFile(hash: "video_abc", ext: ".mp4", mime: "video/mp4", sizeInBytes: Int64(large.count), contentPath: largePath))
            let fetched = try #require(try await moto.object(bucket: "strata", key: "uploads/video_abc.mp4"))
            #expect(fetched.bytes.count == large.count)
            #expect(SHA256.hash(data: fetched.bytes) == SHA256.hash(data: large))

            try await provider.delete(ProviderObjectReference(hash: "small_abc", ext: ".png", url: stored.url))
            #expect(try await moto.object(bucket: "strata", key: "uploads/small_abc.png") == nil)
            try await provider.delete(ProviderObjectReference(hash: "small_abc", ext: ".png", url: stored.url))
            }
        }
    }

    @Test("uploads through the API store the original and every format in the bucket; delete removes them all")
    func apiWithS3() async throws {
        try await withMoto { moto in
            try await moto.createBucket("media")
            let config: [String: JSONValue] = ["plugins": ["upload": ["config": ["provider": "aws-s3", "providerOptions": .object(moto.providerOptions(bucket: "media"))]]]]
            try await TestStrata.run(mediaProject(config: config)) { strata, client in
                let bytes = try fixture("landscape.jpg")
                let response = try await client.send(.post, "/api/upload", multipart: multipart([("photo.jpg", "image/jpeg", bytes)]))
                #expect(response.status == 201, "\(response.text)")
                let file = try #require(response.json?[0])
                let hash = try #require(file["hash"]?.string)
                #expect(file["provider"] == "aws-s3")
                #expect(file["url"]?.string == "\(moto.endpoint)/media/\(hash).jpg")
                #expect(try await moto.object(bucket: "media", key: "\(hash).jpg")?.bytes == bytes)
                let formats = try #require(file["formats"]?.objectValue)
                #expect(TestStrata.preservesJSONKeyOrder ? formats.keys == ["thumbnail", "large", "medium", "small"] : Set(formats.keys) == ["thumbnail", "large", "medium", "small"])
                for (key, format) in formats {
                    #expect(format["url"]?.string == "\(moto.endpoint)/media/\(key)_\(hash).jpg")
                    let object = try await moto.object(bucket: "media", key: "\(key)_\(hash).jpg")
                    #expect(object?.bytes.count == format["sizeInBytes"]?.int.map(Int.init))
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: "\(strata.directory)/public/uploads").isEmpty, "nothing stored locally")

                let id = try #require(file["id"]?.int)
                #expect(try await client.delete("/api/upload/files/\(id)").status == 200)
                #expect(try await moto.object(bucket: "media", key: "\(hash).jpg") == nil)
                #expect(try await moto.object(bucket: "media", key: "thumbnail_\(hash).jpg") == nil)
            }
        }
    }

    @Test("a provider failure on upload is a 502 that leaves no row; on delete, a 502 that keeps the row")
    func providerFailures() async throws {
        try await withMoto { moto in
            try await moto.createBucket("kept")
            let missing: [String: JSONValue] = ["plugins": ["upload": ["config": ["provider": "aws-s3", "providerOptions": .object(moto.providerOptions(bucket: "no-such-bucket"))]]]]
            try await TestStrata.run(mediaProject(config: missing)) { strata, client in
                let response = try await client.send(.post, "/api/upload", multipart: multipart([("photo.jpg", "image/jpeg", try fixture("landscape.jpg"))]))
                #expect(response.status == 502)
                #expect(response.error?["name"] == "ProviderError")
                #expect(response.error?["message"]?.string?.contains("NoSuchBucket") == true, "\(response.text)")
                #expect(try await strata.rowCount("files") == 0)
            }

            let config: [String: JSONValue] = ["plugins": ["upload": ["config": ["provider": "aws-s3", "providerOptions": .object(moto.providerOptions(bucket: "kept"))]]]]
            try await TestStrata.run(mediaProject(config: config)) { strata, client in
                let response = try await client.send(.post, "/api/upload", multipart: multipart([("tiny.png", "image/png", try fixture("tiny.png"))]))
                let id = try #require(response.json?[0]?["id"]?.int)
                moto.stop()
                let deleted = try await client.delete("/api/upload/files/\(id)")
                #expect(deleted.status == 502)
                #expect(deleted.error?["name"] == "ProviderError")
                #expect(deleted.error?["message"]?.string?.contains("could not delete") == true)
                #expect(try await client.get("/api/upload/files/\(id)").status == 200, "the row still points at the object S3 still has")
                #expect(try await strata.rowCount("files") == 1)
            }
        }
    }
}
