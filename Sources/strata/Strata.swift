import ArgumentParser
import Foundation
import Logging
import StrataServer

/// `strata`: run and manage a Strapi-compatible project.
@main
struct Strata: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "A Strapi 5 compatible headless CMS: same project layout, same Content API, one binary.",
        subcommands: [
            New.self,
            Develop.self,
            Start.self,
            ContentTypesList.self,
            RoutesList.self,
            LocalesList.self,
            LocalesAdd.self,
            LocalesSetDefault.self,
            LocalesDelete.self,
            Export.self,
            Import.self,
            RolesList.self,
            RolesGrant.self,
            RolesRevoke.self,
            APITokensCreate.self,
            APITokensList.self,
            APITokensRevoke.self,
            WebhooksList.self,
            WebhooksCreate.self,
            WebhooksUpdate.self,
            WebhooksDelete.self,
            WebhooksTrigger.self,
        ]
    )
}

/// Options shared by commands that work on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project folder (default: the current directory).")
    var project: String?

    var directory: String {
        project ?? FileManager.default.currentDirectoryPath
    }
}

enum CLILogging {
    /// Logs to standard output at `LOG_LEVEL` (default `info`).
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            StrataLogHandler(label: label, logLevel: level)
        }
    }
}

extension ExitCode {
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        return .failure
    }
}
