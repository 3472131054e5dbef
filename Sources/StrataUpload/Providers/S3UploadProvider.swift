import AsyncHTTPClient
import NIOHTTP1
import Crypto
public import Foundation
import NIOCore
public import StrataCore

/// Strapi's `aws-s3` provider for any S3-compatible service: SigV4-signed `PUT` (multipart upload
/// for large files), `DELETE`, and URLs from `baseUrl` or the bucket's endpoint.
///
/// Reads the options Strapi's provider reads (`providerOptions.s3Options.{credentials, region,
/// endpoint, forcePathStyle, params.Bucket, params.ACL}`, `baseUrl`, `rootPath`, and the v4-style
/// top-level `accessKeyId`/`secretAccessKey`/`region`/`params`).
public struct S3UploadProvider: UploadProvider {
    public let name = "aws-s3"
    public let bucket: String
    public let endpoint: URL
    public let forcePathStyle: Bool
    public let acl: String?
    public let baseURL: String?
    public let rootPath: String
    public let signer: S3Signer
    /// Files larger than this go up as a multipart upload in parts of this size (S3's minimum is 5 MiB).
    public let partSize: Int64
    let client: HTTPClient

    /// Reads Strapi's provider options and opens an HTTP client of its own (released by
    /// ``shutdown()``): a failed connection is reported at once, not retried for minutes.
    public init(options: JSONObject) throws {
        let s3 = options["s3Options"]?.objectValue ?? options
        let credentials = s3["credentials"]?.objectValue ?? s3
        guard let accessKey = credentials["accessKeyId"]?.stringValue, let secret = credentials["secretAccessKey"]?.stringValue,
              !accessKey.isEmpty, !secret.isEmpty
        else { throw UploadConfigurationError("aws-s3: providerOptions.s3Options.credentials needs accessKeyId and secretAccessKey") }
        let params = s3["params"]?.objectValue ?? [:]
        guard let bucket = params["Bucket"]?.stringValue, !bucket.isEmpty else {
            throw UploadConfigurationError("aws-s3: providerOptions.s3Options.params.Bucket is required")
        }
        let region = s3["region"]?.stringValue ?? "us-east-1"
        self.bucket = bucket
        self.signer = S3Signer(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: credentials["sessionToken"]?.stringValue, region: region)
        if let endpoint = s3["endpoint"]?.stringValue, !endpoint.isEmpty {
            let absolute = endpoint.contains("://") ? endpoint : "https://\(endpoint)"
            guard let url = URL(string: absolute.hasSuffix("/") ? String(absolute.dropLast()) : absolute), url.host != nil else {
                throw UploadConfigurationError("aws-s3: endpoint \(endpoint.debugDescription) is not a URL")
            }
            self.endpoint = url
        } else {
            self.endpoint = URL(string: "https://s3.\(region).amazonaws.com")!
        }
        self.forcePathStyle = s3["forcePathStyle"]?.boolValue ?? false
        self.acl = params["ACL"].map { $0.stringValue ?? "" } ?? "public-read"
        self.baseURL = options["baseUrl"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let root = options["rootPath"]?.stringValue ?? ""
        self.rootPath = root.isEmpty ? "" : (root.hasSuffix("/") ? root : root + "/")
        let partSize = options["partSize"]?.intValue ?? 8 * 1024 * 1024
        guard partSize >= 5 * 1024 * 1024 else { throw UploadConfigurationError("aws-s3: partSize must be at least 5 MiB (5242880)") }
        self.partSize = partSize
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// The object key of a file: `<rootPath><hash><ext>`.
    public func key(for objectName: String) -> String { rootPath + objectName }

    /// The URL requests for a key go to (virtual-hosted or path style).
    func objectURL(_ key: String, query: String? = nil) -> URL {
        let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false).map { S3Signer.encode(String($0)) }.joined(separator: "/")
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        if forcePathStyle {
            components.percentEncodedPath = "\(components.percentEncodedPath)/\(S3Signer.encode(bucket))/\(encodedKey)"
        } else {
            components.host = "\(bucket).\(components.host ?? "")"
            components.percentEncodedPath = "\(components.percentEncodedPath)/\(encodedKey)"
        }
        components.percentEncodedQuery = query
        return components.url!
    }

    /// The public URL stored in the file's `url`.
    public func publicURL(for key: String) -> String {
        if let baseURL { return "\(baseURL)/\(key)" }
        return objectURL(key).absoluteString
    }

    public func upload(_ file: ProviderFile) async throws -> StoredObject {
        let key = key(for: file.objectName)
        do {
            if file.sizeInBytes > partSize {
                try await multipartUpload(file, key: key)
            } else {
                let hash = try await FileDigest.sha256(path: file.contentPath, offset: 0, length: file.sizeInBytes)
                _ = try await send("PUT", objectURL(key), headers: objectHeaders(file.mime), payloadHash: hash,
                                   body: .file(file.contentPath, offset: 0, length: file.sizeInBytes))
            }
        } catch let error as UploadProviderError {
            throw error
        } catch {
            throw UploadProviderError("aws-s3 could not store \(key): \(error)")
        }
        return StoredObject(url: publicURL(for: key))
    }

    public func delete(_ object: ProviderObjectReference) async throws {
        let key = key(for: object.objectName)
        do {
            // S3 answers 204 for keys that do not exist, so a second delete is not an error.
            _ = try await send("DELETE", objectURL(key), headers: [:], payloadHash: S3Signer.emptyPayloadHash, body: nil)
        } catch let error as UploadProviderError {
            throw error
        } catch {
            throw UploadProviderError("aws-s3 could not delete \(key): \(error)")
        }
    }

    /// The headers an object is created with: its type and the configured ACL.
    func objectHeaders(_ mime: String) -> [String: String] {
        var headers = ["content-type": mime]
        if let acl, !acl.isEmpty { headers["x-amz-acl"] = acl }
        return headers
    }

    func multipartUpload(_ file: ProviderFile, key: String) async throws {
        let created = try await send("POST", objectURL(key, query: "uploads="), headers: objectHeaders(file.mime), payloadHash: S3Signer.emptyPayloadHash, body: nil)
        guard let uploadID = S3XML.value(of: "UploadId", in: created.body) else {
            throw UploadProviderError("aws-s3 did not start a multipart upload for \(key)")
        }
        let encodedID = S3Signer.encode(uploadID)
        do {
            var parts: [(number: Int, etag: String)] = []
            var offset: Int64 = 0
            var number = 1
            while offset < file.sizeInBytes {
                let length = min(partSize, file.sizeInBytes - offset)
                let hash = try await FileDigest.sha256(path: file.contentPath, offset: offset, length: length)
                let response = try await send("PUT", objectURL(key, query: "partNumber=\(number)&uploadId=\(encodedID)"), headers: [:],
                                              payloadHash: hash, body: .file(file.contentPath, offset: offset, length: length))
                guard let etag = response.headers.first(name: "etag") else { throw UploadProviderError("aws-s3 returned no ETag for part \(number) of \(key)") }
                parts.append((number, etag))
                offset += length
                number += 1
            }
            let xml = "<CompleteMultipartUpload>" + parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(S3XML.escape($0.etag))</ETag></Part>" }.joined() + "</CompleteMultipartUpload>"
            let body = Data(xml.utf8)
            let completed = try await send("POST", objectURL(key, query: "uploadId=\(encodedID)"), headers: ["content-type": "application/xml"],
                                           payloadHash: SHA256.hash(data: body).hexString, body: .bytes(body))
            // CompleteMultipartUpload can fail with a 200 status and an error document.
            if let code = S3XML.value(of: "Code", in: completed.body) {
                throw UploadProviderError("aws-s3 could not complete the upload of \(key): \(code) \(S3XML.value(of: "Message", in: completed.body) ?? "")")
            }
        } catch {
            _ = try? await send("DELETE", objectURL(key, query: "uploadId=\(encodedID)"), headers: [:], payloadHash: S3Signer.emptyPayloadHash, body: nil)
            throw error
        }
    }

    enum Body {
        case bytes(Data)
        case file(String, offset: Int64, length: Int64)
    }

    struct S3Response {
        var headers: HTTPHeaders
        var body: Data
    }

    /// Sends a signed request; any status other than 2xx is an `UploadProviderError` carrying S3's code and message.
    func send(_ method: String, _ url: URL, headers: [String: String], payloadHash: String, body: Body?, maxBody: Int = 1 << 20) async throws -> S3Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        var all = headers
        switch body {
        case .bytes(let data): all["content-length"] = String(data.count)
        case .file(_, _, let length): all["content-length"] = String(length)
        case nil: break
        }
        for (name, value) in signer.sign(method: method, url: url, headers: all, payloadHash: payloadHash) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        switch body {
        case .bytes(let data):
            request.body = .bytes(ByteBuffer(bytes: data))
        case .file(let path, let offset, let length):
            request.body = .stream(FileChunks(path: path, offset: offset, length: length), length: .known(length))
        case nil:
            break
        }
        let response = try await client.execute(request, timeout: .seconds(300))
        var collected = try await response.body.collect(upTo: maxBody)
        let data = Data(collected.readBytes(length: collected.readableBytes) ?? [])
        guard (200..<300).contains(response.status.code) else {
            let code = S3XML.value(of: "Code", in: data) ?? "HTTP \(response.status.code)"
            let message = S3XML.value(of: "Message", in: data).map { ": \($0)" } ?? ""
            throw UploadProviderError("aws-s3 answered \(code)\(message) to \(method) \(url.path(percentEncoded: false))")
        }
        return S3Response(headers: response.headers, body: data)
    }
}
