import Foundation
import Hummingbird
public import HTTPTypes
import HummingbirdTesting
import Logging
import StrataSQL
import StrataTestDatabase
import StrataDocuments
import StrataAccess
import StrataPostgres
public import StrataUsersPermissions
import StrataDatabase
public import StrataCore
public import StrataServer

/// An in-process Strata over a temporary project and a database of its own (in-memory SQLite, or
/// a fresh Postgres schema when the run uses Postgres — see ``TestDatabase``), driven
/// through Hummingbird's router test transport (no socket).
public struct TestStrata: Sendable {
    public let app: StrataApplication
    public let directory: String
    /// Emails the application sent.
    public let email: MemoryEmailProvider
    /// Reports a boot, request or shutdown that hangs.
    let watchdog: TestWatchdog

    /// Boots `project` with deterministic document ids and timestamps.
    public static func boot(_ project: TestProject) async throws -> TestStrata {
        var project = project
        // Requests of a parallel pass on two cores (or under a sanitizer) can take longer than the
        // production time limit; hung requests are the watchdog's to report. Tests of the limit
        // configure it.
        if project.config["server"]?["requestTimeout"] == nil {
            var server = project.config["server"]?.objectValue ?? [:]
            server["requestTimeout"] = 0
            project.config["server"] = .object(server)
        }
        let directory = try project.write()
        let watchdog = TestWatchdog(context: "project \(directory)")
        let postgres = TestDatabase.postgresConfiguration()
        let database = LockedValue<DatabaseClient?>(nil)
        watchdog.diagnostics.withLock {
            $0 = {
                // The client exists once boot is done; the server's view is there from the start.
                var lines = database.value.map { ["database: \($0.activity.value)"] } ?? []
                if let postgres { lines += (await PostgresDriver.activity(postgres)).map { "postgres: " + $0 } }
                return lines
            }
        }
        do {
            // Waiting for a turn is not watched; the boot itself is.
            return try await BootGate.shared.run {
                try await watchdog.watch("boot") {
                    let strata = try await boot(project, directory: directory, postgres: postgres, watchdog: watchdog)
                    database.withLock { $0 = strata.app.database.client }
                    return strata
                }
            }
        } catch {
            watchdog.stop()
            throw error
        }
    }

    private static func boot(_ project: TestProject, directory: String, postgres: PostgresConfiguration?, watchdog: TestWatchdog) async throws -> TestStrata {
        var logger = Logger(label: "strata.test")
        logger.logLevel = .warning
        let loaded = try StrataProject.load(directory: directory, processEnvironment: [:])
        let email = MemoryEmailProvider()
        let app = try await StrataApplication.boot(
            project: loaded,
            options: .init(documentIDs: SequentialDocumentIDGenerator(), clock: SteppingClock(),
                           databaseFilename: TestDatabase.isPostgres ? nil : ":memory:", postgres: postgres,
                           openAccess: !project.enforceAccess, email: email),
            logger: logger
        )
        return TestStrata(app: app, directory: directory, email: email, watchdog: watchdog)
    }

    /// Boots `project`, runs `body` with a client, then shuts everything down.
    public static func run(_ project: TestProject, _ body: @Sendable (TestStrata, StrataClient) async throws -> Void) async throws {
        let strata = try await boot(project)
        do {
            try await strata.test { client in try await body(strata, client) }
            try await strata.shutdown()
        } catch {
            try? await strata.shutdown()
            throw error
        }
    }

    /// Runs `body` with a client talking to this Strata's router.
    public func test<T: Sendable>(_ body: @Sendable (StrataClient) async throws -> T) async throws -> T {
        let application = Application(router: app.router(logRequests: false))
        return try await application.test(.router) { client in
            try await body(StrataClient(client: client, watchdog: watchdog))
        }
    }

    /// Stores a file record (no bytes), as the Media Library would, for media-field tests.
    public func createFile(name: String, mime: String = "image/png", width: Int64? = 100, height: Int64? = 80) async throws -> JSONObject {
        let hash = name.replacingOccurrences(of: ".", with: "_") + "_0123456789"
        let ext = name.split(separator: ".").last.map { "." + $0 } ?? ""
        return try await app.documents(try UID("plugin::upload.file")).create(data: [
            "name": .string(name), "hash": .string(hash), "ext": .string(ext), "mime": .string(mime), "size": 12.5,
            "url": .string("/uploads/\(hash)\(ext)"), "provider": "local", "folderPath": "/",
            "width": width.map { .int($0) } ?? .null, "height": height.map { .int($0) } ?? .null,
        ])
    }

    /// Adds an i18n locale (English exists from the start).
    public func addLocale(_ code: String, name: String? = nil) async throws {
        _ = try await app.locales.add(code: code, name: name)
    }

    /// Grants permission actions to a Users & Permissions role (`public`, `authenticated`…).
    public func grant(_ role: String, _ actions: String...) async throws {
        for action in actions { try await app.usersPermissions.permissions.grant(roleType: role, action: action) }
    }

    /// Creates an API token and returns its raw key.
    public func createToken(_ name: String, type: APITokenType, permissions: [String] = []) async throws -> String {
        try await app.tokens.create(name: name, type: type, permissions: permissions, knownActions: app.knownActions).accessKey
    }

    /// Sets a token's expiry (to test expired tokens).
    public func expireToken(_ name: String) async throws {
        let tokens = try app.usersPermissions.documents(try UID("admin::api-token"))
        guard let token = try await tokens.findFirst(DocumentQuery(filters: .equals("name", .string(name)))), let documentId = token["documentId"]?.stringValue else { return }
        _ = try await tokens.update(documentId: documentId, data: ["expiresAt": "2000-01-01T00:00:00.000Z"])
    }

    /// How many SQL statements the database has run so far.
    public var statementCount: Int { app.database.client.statementCount }

    /// Rows in a table, for orphan checks. `table` must be a plain identifier.
    public func rowCount(_ table: String) async throws -> Int {
        precondition(table.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "not a table name: \(table)")
        let rows = try await app.database.client.raw("SELECT COUNT(*) AS c FROM \"\(table)\"")
        return Int(rows.first?["c"].int64 ?? -1)
    }

    public func shutdown() async throws {
        defer { watchdog.stop() }
        try await watchdog.watch("shutdown") { try await app.shutdown() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A response with its body parsed as JSON when it is JSON.
public struct StrataResponse: Sendable {
    public let status: Int
    public let headers: HTTPFields
    public let text: String
    public let json: JSONValue?
    /// The raw body.
    public var body: [UInt8] = []

    /// `data` of a success envelope.
    public var data: JSONValue? { json?["data"] }
    /// `meta` of a success envelope.
    public var meta: JSONValue? { json?["meta"] }
    /// `error` of an error envelope.
    public var error: JSONValue? { json?["error"] }

    /// A response header by name.
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

/// JSON-speaking test client.
public struct StrataClient: Sendable {
    let client: any TestClientProtocol
    let watchdog: TestWatchdog

    /// `authorization` becomes the `Authorization` header (e.g. `Bearer <jwt>`).
    public func get(_ uri: String, authorization: String? = nil) async throws -> StrataResponse {
        try await send(.get, uri, headers: Self.headers(authorization))
    }

    public func delete(_ uri: String, authorization: String? = nil) async throws -> StrataResponse {
        try await send(.delete, uri, headers: Self.headers(authorization))
    }

    public func post(_ uri: String, json: JSONValue, authorization: String? = nil) async throws -> StrataResponse {
        try await send(.post, uri, body: JSONWriter.string(json), headers: Self.headers(authorization))
    }

    public func put(_ uri: String, json: JSONValue, authorization: String? = nil) async throws -> StrataResponse {
        try await send(.put, uri, body: JSONWriter.string(json), headers: Self.headers(authorization))
    }

    static func headers(_ authorization: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let authorization { fields[.authorization] = authorization }
        return fields
    }

    /// Sends a raw body (for malformed-input tests); `method` is `GET`, `POST`…
    public func send(_ method: String, _ uri: String, body: String? = nil, contentType: String = "application/json") async throws -> StrataResponse {
        try await send(HTTPRequest.Method(method) ?? .get, uri, body: body, contentType: contentType)
    }

    /// Sends a multipart body (uploads).
    public func send(_ method: HTTPRequest.Method, _ uri: String, multipart: MultipartBody, authorization: String? = nil) async throws -> StrataResponse {
        try await send(method, uri, bytes: multipart.finished, contentType: multipart.contentType, headers: Self.headers(authorization))
    }

    /// Sends raw bytes.
    public func send(_ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8], contentType: String, headers: HTTPFields = [:]) async throws -> StrataResponse {
        var allHeaders = headers
        allHeaders[.contentType] = contentType
        let response = try await watchdog.watch("\(method) \(uri)") {
            try await client.execute(uri: uri, method: method, headers: allHeaders, body: ByteBuffer(bytes: bytes))
        }
        let text = String(buffer: response.body)
        return StrataResponse(status: Int(response.status.code), headers: response.headers, text: text, json: try? JSONParser.parse(text), body: Array(response.body.readableBytesView))
    }

    /// Sends a raw body (for malformed-input tests).
    public func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String = "application/json", headers: HTTPFields = [:]) async throws -> StrataResponse {
        var allHeaders = headers
        if body != nil, allHeaders[.contentType] == nil { allHeaders[.contentType] = contentType }
        let response = try await watchdog.watch("\(method) \(uri)") {
            try await client.execute(uri: uri, method: method, headers: allHeaders, body: body.map { ByteBuffer(string: $0) })
        }
        let text = String(buffer: response.body)
        return StrataResponse(status: Int(response.status.code), headers: response.headers, text: text, json: try? JSONParser.parse(text),
                              body: Array(response.body.readableBytesView))
    }
}
