import ArgumentParser
import Foundation
import Logging
import StrataCore
import StrataDocuments
import StrataServer

/// Opens a project's database for a one-off command (no server).
enum ProjectSession {
    static func withApplication<T>(_ options: ProjectOptions, _ body: (StrataApplication) async throws -> T) async throws -> T {
        var logger = Logger(label: "strata")
        logger.logLevel = .warning
        let app: StrataApplication
        do {
            app = try await StrataApplication.boot(project: try StrataProject.load(directory: options.directory), logger: logger)
        } catch {
            throw ExitCode.fail("\(error)")
        }
        do {
            let result = try await body(app)
            try await app.shutdown()
            return result
        } catch let exit as ExitCode {
            try? await app.shutdown()
            throw exit
        } catch let error as any StrataError {
            try? await app.shutdown()
            throw ExitCode.fail(error.message)
        } catch {
            try? await app.shutdown()
            throw ExitCode.fail("\(error)")
        }
    }
}

struct LocalesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locales:list", abstract: "List the i18n locales.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let locales = try await ProjectSession.withApplication(options) { try await $0.locales.list() }
        if json {
            print(JSONWriter.prettyString(.array(locales.map { .object(["code": .string($0.code), "name": .string($0.name), "isDefault": .bool($0.isDefault)]) })))
            return
        }
        printTable(["code", "name", "default"], locales.map { [$0.code, $0.name, $0.isDefault ? "yes" : ""] })
    }
}

struct LocalesAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locales:add", abstract: "Add an i18n locale.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The locale code, e.g. fr or en-GB.")
    var code: String

    @Option(help: "The display name (default: the language's name and code, e.g. \"French (fr)\").")
    var name: String?

    @Flag(help: "Make it the default locale.")
    var setDefault = false

    func run() async throws {
        let locale = try await ProjectSession.withApplication(options) { app in
            let added = try await app.locales.add(code: code, name: name)
            if setDefault { try await app.locales.setDefault(code) }
            return added
        }
        print("Added \(locale.code) (\(locale.name))\(setDefault ? " as the default locale" : "").")
    }
}

struct LocalesSetDefault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locales:set-default", abstract: "Make a locale the default.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The locale code.")
    var code: String

    func run() async throws {
        try await ProjectSession.withApplication(options) { try await $0.locales.setDefault(code) }
        print("The default locale is now \(code).")
    }
}

struct LocalesDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locales:delete", abstract: "Delete a locale and every localized entry in it.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The locale code.")
    var code: String

    func run() async throws {
        try await ProjectSession.withApplication(options) { try await $0.locales.delete(code) }
        print("Deleted the \(code) locale and its entries.")
    }
}
