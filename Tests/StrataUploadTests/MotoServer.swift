import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Foundation
@testable import StrataUpload
import StrataCore
#if canImport(Glibc)
import Glibc
#endif

/// A real S3 API on 127.0.0.1: moto's server mode (PyPI `moto[server]`, installed by
/// scripts/test.sh), one process per test so tests stay independent.
final class MotoServer: @unchecked Sendable {
    let process: Process
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }

    static let accessKey = "strata-test-key"
    static let secretKey = "strata-test-secret"

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts moto and waits until it answers.
    static func start() async throws -> MotoServer {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(process: process, port: port)
        for _ in 0..<200 {
            if !process.isRunning { throw MotoError("moto exited (is `moto[server]` installed? scripts/test.sh installs it)") }
            var request = HTTPClientRequest(url: "\(server.endpoint)/moto-api/")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)), response.status.code < 500 {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        throw MotoError("moto did not start on port \(port)")
    }

    /// Kills moto (it traps SIGTERM and keeps serving while requests linger).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Provider options as a Strapi project writes them for an S3-compatible endpoint.
    func providerOptions(bucket: String, rootPath: String? = nil, baseUrl: String? = nil, partSize: Int64? = nil) -> JSONObject {
        var options: JSONObject = [
            "s3Options": [
                "credentials": ["accessKeyId": .string(Self.accessKey), "secretAccessKey": .string(Self.secretKey)],
                "region": "us-east-1", "endpoint": .string(endpoint), "forcePathStyle": true,
                "params": ["Bucket": .string(bucket), "ACL": "public-read"],
            ],
        ]
        if let rootPath { options["rootPath"] = .string(rootPath) }
        if let baseUrl { options["baseUrl"] = .string(baseUrl) }
        if let partSize { options["partSize"] = .int(partSize) }
        return options
    }

    /// Creates a bucket with a signed `PUT /<bucket>`.
    func createBucket(_ name: String) async throws {
        try await withS3Provider(providerOptions(bucket: name)) { provider in
            _ = try await provider.send("PUT", URL(string: "\(endpoint)/\(name)")!, headers: [:], payloadHash: S3Signer.emptyPayloadHash, body: nil)
        }
    }

    /// An object's bytes and content type with a signed `GET`, or `nil` when it does not exist.
    func object(bucket: String, key: String) async throws -> (bytes: [UInt8], contentType: String?)? {
        try await withS3Provider(providerOptions(bucket: bucket)) { provider in
            do {
                let response = try await provider.send("GET", provider.objectURL(key), headers: [:], payloadHash: S3Signer.emptyPayloadHash, body: nil, maxBody: 64 << 20)
                return ([UInt8](response.body), response.headers.first(name: "content-type"))
            } catch let error as UploadProviderError where error.message.contains("NoSuchKey") {
                return nil
            }
        }
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw MotoError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0 else { throw MotoError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        guard named == 0 else { throw MotoError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct MotoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a provider and always shuts its HTTP client down.
func withS3Provider<T>(_ options: JSONObject, _ body: (S3UploadProvider) async throws -> T) async throws -> T {
    let provider = try S3UploadProvider(options: options)
    do {
        let result = try await body(provider)
        try await provider.shutdown()
        return result
    } catch {
        try? await provider.shutdown()
        throw error
    }
}

/// Runs `body` with a fresh moto server and stops it afterwards, even on failure.
func withMoto(_ body: (MotoServer) async throws -> Void) async throws {
    let server = try await MotoServer.start()
    do {
        try await body(server)
        server.stop()
    } catch {
        server.stop()
        throw error
    }
}
