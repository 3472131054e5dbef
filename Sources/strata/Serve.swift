import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataContentAPI
import StrataOperations
import StrataServer
import UnixSignals

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the server (no file watching).")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Apply schema changes that drop or convert stored data (back up first).")
    var allowDestructiveMigrations = false

    func run() async throws {
        CLILogging.bootstrap()
        let logger = Logger(label: "strata")
        let app: StrataApplication
        do {
            let project = try StrataProject.load(directory: options.directory)
            app = try await StrataApplication.boot(project: project, options: .init(allowDestructiveMigrations: allowDestructiveMigrations), logger: logger)
        } catch {
            throw ExitCode.fail("\(error)")
        }
        try await Server.run(app, logger: logger, reloadWhen: nil)
        try await app.shutdown()
    }
}

struct Develop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the server and restart it when schemas, config or .env change.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Apply schema changes that drop or convert stored data (back up first).")
    var allowDestructiveMigrations = false

    func run() async throws {
        CLILogging.bootstrap()
        let logger = Logger(label: "strata")
        let directory = options.directory
        while true {
            let watcher = ProjectWatcher(directory: directory)
            let app: StrataApplication
            do {
                let project = try StrataProject.load(directory: directory)
                app = try await StrataApplication.boot(project: project, options: .init(allowDestructiveMigrations: allowDestructiveMigrations), logger: logger)
            } catch {
                logger.error("\(error)")
                logger.info("Waiting for changes in src/, config/ or .env…")
                guard await watcher.waitForChange() else { return }
                continue
            }
            let reload = try await Server.run(app, logger: logger, reloadWhen: watcher)
            try await app.shutdown()
            if !reload { return }
            logger.info("Change detected, restarting…")
        }
    }
}

enum Server {
    /// Serves until a signal arrives (returns false) or the watcher sees a change (returns true).
    @discardableResult
    static func run(_ app: StrataApplication, logger: Logger, reloadWhen watcher: ProjectWatcher?) async throws -> Bool {
        let server = app.project.configuration.server
        let http = app.application { port in
            logger.info("Strata is serving \(app.project.directory) at http://\(server.host == "0.0.0.0" ? "localhost" : server.host):\(port)\(app.contentAPI.configuration.prefix)")
        }
        let group = ServiceGroup(configuration: .init(services: [http], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        return try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return false
            }
            if let watcher {
                tasks.addTask {
                    guard await watcher.waitForChange() else { return false }
                    await group.triggerGracefulShutdown()
                    return true
                }
            }
            var reload = false
            for try await result in tasks {
                reload = reload || result
                if !result || reload {
                    tasks.cancelAll()
                }
            }
            return reload
        }
    }
}

/// Polls the project's schema and configuration files for changes (no platform file events needed).
struct ProjectWatcher: Sendable {
    let directory: String
    let initial: [String: Date]

    init(directory: String) {
        self.directory = directory
        self.initial = Self.snapshot(directory)
    }

    /// Returns true when something changed, false when cancelled.
    func waitForChange() async -> Bool {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return false }
            if Self.snapshot(directory) != initial { return true }
        }
        return false
    }

    static func snapshot(_ directory: String) -> [String: Date] {
        var result: [String: Date] = [:]
        let root = URL(fileURLWithPath: directory)
        for folder in ["src", "config"] {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.contentModificationDateKey]) else { continue }
            for case let url as URL in enumerator where url.pathExtension == "json" {
                result[url.path] = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            }
        }
        let env = root.appendingPathComponent(".env")
        result[env.path] = (try? env.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        return result
    }
}
