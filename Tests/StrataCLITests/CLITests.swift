import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StrataCore
import Testing

/// Runs the built `strata` binary as a user would.
struct CLI {
    static let binary: URL = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [".build/debug/strata", ".build/x86_64-unknown-linux-gnu/debug/strata", ".build/aarch64-unknown-linux-gnu/debug/strata"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(candidate).path) {
            return root.appendingPathComponent(candidate)
        }
        return root.appendingPathComponent(candidates[0])
    }()

    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

    /// Runs `strata` to completion on a thread of its own. Waiting for it on a cooperative
    /// thread would block that thread, and a child that waits on this process (a Postgres lock
    /// held by another test's task) then never finishes: two such waits filled the pool's two
    /// threads and hung the whole Postgres pass.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, in: directory, environment: environment) })
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: URL?, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self))
    }

    /// Starts `strata` with PORT/HOST set; the caller terminates it.
    static func launch(_ arguments: [String], in directory: URL? = nil, port: Int, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment
            .merging(environment) { _, new in new }
            .merging(["PORT": String(port), "HOST": "127.0.0.1"]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until the server at `base` answers `/_health`, or `process` exits, for up to 60 s:
    /// a debug binary starting during the parallel pass can take many seconds.
    static func waitUntilHealthy(_ base: String, _ process: Process? = nil) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process?.isRunning ?? true {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/_health")!),
                (response as? HTTPURLResponse)?.statusCode == 204
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite("strata CLI")
struct CLITests {
    @Test("every command has --help", arguments: [
        "", "new", "develop", "start", "content-types:list", "routes:list", "locales:list", "locales:add", "locales:set-default", "locales:delete",
        "roles:list", "roles:grant", "roles:revoke", "api-tokens:create", "api-tokens:list", "api-tokens:revoke",
        "webhooks:list", "webhooks:create", "webhooks:update", "webhooks:delete", "webhooks:trigger",
    ])
    func help(command: String) async throws {
        let result = try await CLI.run(command.isEmpty ? ["--help"] : [command, "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE"))
    }

    @Test("new --example blog scaffolds a project that lists its content types and routes")
    func newBlog() async throws {
        let parent = try CLI.temporaryDirectory()
        let created = try await CLI.run(["new", "my-blog", "--example", "blog"], in: parent)
        #expect(created.status == 0, "\(created.error)")
        let project = parent.appendingPathComponent("my-blog")
        for path in ["config/server.json", "config/database.json", "src/api/article/content-types/article/schema.json", "src/components/shared/seo.json", "public/robots.txt"] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(path).path), "\(path)")
        }
        let types = try await CLI.run(["content-types:list", "--json", "--project", project.path])
        #expect(types.status == 0, "\(types.error)")
        let list = try JSONParser.parse(types.output)
        #expect(list.arrayValue?.compactMap { $0["uid"]?.stringValue } == ["admin::api-token", "admin::api-token-permission", "api::article.article", "api::author.author", "api::category.category", "api::global.global", "plugin::i18n.locale", "plugin::upload.file", "plugin::upload.folder", "plugin::users-permissions.permission", "plugin::users-permissions.role", "plugin::users-permissions.user"])
        let routes = try await CLI.run(["routes:list", "--json"], in: project)
        let parsed = try JSONParser.parse(routes.output)
        #expect(parsed.arrayValue?.contains(["method": "GET", "path": "/api/articles/:id", "action": "api::article.article.findOne"]) == true)
        #expect(parsed.arrayValue?.contains(["method": "PUT", "path": "/api/global", "action": "api::global.global.update"]) == true)
        let table = try await CLI.run(["content-types:list"], in: project)
        let globalLine = table.output.split(separator: "\n").first { $0.hasPrefix("api::global.global ") }
        #expect(globalLine?.contains("singleType") == true)
        // A second `new` into the same folder is refused.
        let again = try await CLI.run(["new", "my-blog"], in: parent)
        #expect(again.status != 0)
        #expect(again.error.contains("already exists"))
    }

    @Test("examples/blog is exactly what `strata new --example blog` writes")
    func bundledExample() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let bundled = root.appendingPathComponent("examples/blog")
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "fresh", "--example", "blog"], in: parent)
        let fresh = parent.appendingPathComponent("fresh")
        func files(_ base: URL) -> [String: String] {
            var result: [String: String] = [:]
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                let relative = String(url.path.dropFirst(base.path.count + 1))
                if relative.hasPrefix(".tmp") || relative == ".env" { continue }
                if let data = FileManager.default.contents(atPath: url.path), !url.hasDirectoryPath {
                    result[relative] = String(decoding: data, as: UTF8.self)
                }
            }
            return result
        }
        #expect(files(bundled) == files(fresh), "regenerate with: swift run strata new examples/blog --example blog")
    }

    @Test("locales are managed from the CLI")
    func locales() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "intl", "--example", "blog"], in: parent)
        let project = parent.appendingPathComponent("intl")
        #expect(try await CLI.run(["locales:add", "fr", "--name", "French"], in: project).status == 0)
        #expect(try await CLI.run(["locales:add", "de"], in: project).status == 0)
        #expect(try await CLI.run(["locales:set-default", "fr"], in: project).status == 0)
        let list = try JSONParser.parse(try await CLI.run(["locales:list", "--json"], in: project).output)
        #expect(list == [
            ["code": "en", "name": "English (en)", "isDefault": false],
            ["code": "fr", "name": "French", "isDefault": true],
            ["code": "de", "name": "German (de)", "isDefault": false],
        ])
        #expect(try await CLI.run(["locales:delete", "de"], in: project).status == 0)
        let refused = try await CLI.run(["locales:delete", "fr"], in: project)
        #expect(refused.status == 1)
        #expect(refused.error == "error: Cannot delete the default locale\n")
        let duplicate = try await CLI.run(["locales:add", "fr"], in: project)
        #expect(duplicate.error == "error: This locale already exists\n")
    }

    @Test("webhooks are managed from the CLI, with the admin API's validation")
    func webhookCommands() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "hooks", "--example", "blog"], in: parent)
        let project = parent.appendingPathComponent("hooks")
        let unknown = try await CLI.run(["webhooks:create", "--name", "ci", "--url", "https://ci.example.com/h", "--events", "entry.publish,entry.explode"], in: project)
        #expect(unknown.status == 1)
        #expect(unknown.error == "error: Webhook event entry.explode is not supported\n")
        let invalid = try await CLI.run(["webhooks:create", "--name", "", "--url", "nope", "--events", "entry.publish"], in: project)
        #expect(invalid.error == "error: name is a required field; url must be a valid URL\n")
        let created = try await CLI.run(["webhooks:create", "--name", "ci", "--url", "http://127.0.0.1:1/hook", "--events", "entry.publish, entry.unpublish",
                                   "--header", "Authorization: Bearer x"], in: project)
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output == "Created webhook 1 (ci).\n")
        let listed = try JSONParser.parse(try await CLI.run(["webhooks:list", "--json"], in: project).output)
        #expect(listed == [["id": "1", "name": "ci", "url": "http://127.0.0.1:1/hook", "headers": ["Authorization": "Bearer x"],
                            "events": ["entry.publish", "entry.unpublish"], "isEnabled": true]])
        let updated = try await CLI.run(["webhooks:update", "1", "--events", "media.create", "--clear-headers", "--disable"], in: project)
        #expect(updated.output == "Updated webhook 1.\n", "\(updated.error)")
        #expect(try await CLI.run(["webhooks:list"], in: project).output == "1  ci  http://127.0.0.1:1/hook  disabled  media.create\n")
        #expect(try await CLI.run(["webhooks:update", "1", "--events", "entry.nope"], in: project).error == "error: Webhook event entry.nope is not supported\n")
        #expect(try await CLI.run(["webhooks:update", "1", "--enable"], in: project).status == 0)
        // Nothing listens on port 1: the answer is Strapi's {statusCode: 500, message} and the exit status says so.
        let triggered = try await CLI.run(["webhooks:trigger", "1"], in: project)
        #expect(triggered.status == 1)
        #expect(try JSONParser.parse(triggered.output)["statusCode"] == 500)
        #expect(try await CLI.run(["webhooks:trigger", "7"], in: project).error == "error: No webhook with id 7 (see `strata webhooks:list`)\n")
        #expect(try await CLI.run(["webhooks:delete", "1"], in: project).output == "Deleted webhook 1.\n")
        #expect(try await CLI.run(["webhooks:list"], in: project).output == "No webhooks.\n")
    }

    @Test("roles and API tokens are managed from the CLI")
    func accessCommands() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "secure", "--example", "blog"], in: parent)
        let project = parent.appendingPathComponent("secure")
        #expect(try await CLI.run(["roles:grant", "public", "api::article.article.find", "api::article.article.findOne"], in: project).status == 0)
        let unknown = try await CLI.run(["roles:grant", "public", "api::nope.nope.find"], in: project)
        #expect(unknown.status == 1)
        let roles = try JSONParser.parse(try await CLI.run(["roles:list", "--json"], in: project).output)
        let publicRole = roles.arrayValue?.first { $0["type"] == "public" }
        #expect(publicRole?["permissions"]?.arrayValue?.contains("api::article.article.findOne") == true)
        #expect(try await CLI.run(["roles:revoke", "public", "api::article.article.findOne"], in: project).status == 0)

        let created = try await CLI.run(["api-tokens:create", "--name", "ci", "--type", "full-access", "--duration", "30", "--json"], in: project)
        #expect(created.status == 0, "\(created.error)")
        let token = try JSONParser.parse(created.output)
        #expect(token["accessKey"]?.stringValue?.count == 256)
        #expect(token["type"] == "full-access")
        #expect(token["lifespan"] == .int(30 * 24 * 3600 * 1000))
        let badDuration = try await CLI.run(["api-tokens:create", "--name", "x", "--duration", "12"], in: project)
        #expect(badDuration.status == 1)
        let listed = try JSONParser.parse(try await CLI.run(["api-tokens:list", "--json"], in: project).output)
        #expect(listed.arrayValue?.count == 1)
        #expect(listed[0]?["accessKey"] == nil, "keys are never listed")
        #expect(try await CLI.run(["api-tokens:revoke", "ci"], in: project).status == 0)
        #expect(try await CLI.run(["api-tokens:revoke", "ci"], in: project).status == 1)
        // The salt and JWT secret were generated into .env on first use.
        let env = try String(contentsOf: project.appendingPathComponent(".env"), encoding: .utf8)
        #expect(env.contains("API_TOKEN_SALT=") && env.contains("JWT_SECRET="))
    }

    @Test("a broken schema stops start-up with one line naming the file")
    func brokenSchema() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "broken", "--example", "blog"], in: parent)
        let schema = parent.appendingPathComponent("broken/src/api/article/content-types/article/schema.json")
        try #"{"info":{"singularName":"article","pluralName":"articles"},"attributes":{"title":{"type":"strin"}}}"#.write(to: schema, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["start", "--project", parent.appendingPathComponent("broken").path])
        #expect(result.status == 1)
        #expect(result.error == "error: src/api/article/content-types/article/schema.json: attribute \"title\": unknown type \"strin\"\n")
    }

    @Test("develop restarts when a schema changes, and survives a broken one")
    func developReloads() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "live", "--example", "blog"], in: parent)
        let project = parent.appendingPathComponent("live")
        #expect(try await CLI.run(["roles:grant", "public", "api::article.article.find"], in: project).status == 0)
        let port = Int.random(in: 20_000..<60_000)
        let process = try CLI.launch(["develop", "--project", project.path], port: port)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        func status(_ path: String) async -> Int? {
            guard let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!) else { return nil }
            return (response as? HTTPURLResponse)?.statusCode
        }
        // Generous limits: on the Postgres pass each restart syncs the schema while the rest of the
        // suite loads the same server.
        func wait(_ path: String, for expected: Int) async throws -> Bool {
            for _ in 0..<300 {
                if await status(path) == expected { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        #expect(try await wait("/api/articles", for: 200))
        #expect(await status("/api/tags") == 404)
        let schema = project.appendingPathComponent("src/api/tag/content-types/tag/schema.json")
        try FileManager.default.createDirectory(at: schema.deletingLastPathComponent(), withIntermediateDirectories: true)
        try #"{"info":{"singularName":"tag","pluralName":"tags"},"attributes":{"name":{"type":"strin"}}}"#.write(to: schema, atomically: true, encoding: .utf8)
        // A broken schema stops the server but develop keeps watching.
        var stopped = false
        for _ in 0..<300 where !stopped {
            stopped = await status("/_health") == nil
            if !stopped { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(stopped)
        try #"{"info":{"singularName":"tag","pluralName":"tags"},"attributes":{"name":{"type":"string"}}}"#.write(to: schema, atomically: true, encoding: .utf8)
        // The new type's routes exist (and are closed until permissions are granted).
        #expect(try await wait("/api/tags", for: 403))
        #expect(process.isRunning)
    }

    @Test("start serves the example over real HTTP on PORT from the environment")
    func startServes() async throws {
        let parent = try CLI.temporaryDirectory()
        _ = try await CLI.run(["new", "site", "--example", "blog"], in: parent)
        let grant = try await CLI.run(["roles:grant", "public", "api::article.article.find", "api::article.article.create"], in: parent.appendingPathComponent("site"))
        #expect(grant.status == 0, "\(grant.error)")
        let port = Int.random(in: 20_000..<60_000)
        let process = try CLI.launch(["start"], in: parent.appendingPathComponent("site"), port: port)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        #expect(try await CLI.waitUntilHealthy(base, process))
        var request = URLRequest(url: URL(string: base + "/api/articles")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"data":{"title":"Hi"}}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        #expect(try JSONParser.parse([UInt8](body))["data"]?["title"] == "Hi")
        let (listBody, _) = try await URLSession.shared.data(from: URL(string: base + "/api/articles?filters%5Btitle%5D%5B%24eq%5D=Hi")!)
        #expect(try JSONParser.parse([UInt8](listBody))["meta"]?["pagination"]?["total"] == 1)
        #expect(FileManager.default.fileExists(atPath: parent.appendingPathComponent("site/.tmp/data.db").path))
    }
}
