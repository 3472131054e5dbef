import ArgumentParser
import Foundation
import StrataOperations
import StrataCore
import StrataSchema
import StrataServer
import StrataUsersPermissions
import StrataUploadAPI

struct ContentTypesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "content-types:list", abstract: "List the project's content types.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let project: StrataProject
        do {
            project = try StrataProject.load(directory: options.directory)
        } catch {
            throw ExitCode.fail("\(error)")
        }
        let types = project.registry.contentTypes
        if json {
            let list: [JSONValue] = types.map { type in
                .object([
                    "uid": .string(type.uid.rawValue),
                    "kind": .string(type.kind.rawValue),
                    "displayName": .string(type.displayName),
                    "singularName": .string(type.singularName),
                    "pluralName": .string(type.pluralName),
                    "collectionName": .string(type.collectionName),
                    "draftAndPublish": .bool(type.draftAndPublish),
                    "localized": .bool(type.localized),
                ])
            }
            print(JSONWriter.prettyString(.array(list)))
            return
        }
        printTable(["uid", "kind", "displayName"], types.map { [$0.uid.rawValue, $0.kind.rawValue, $0.displayName] })
    }
}

struct RoutesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routes:list", abstract: "List the Content API routes.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    /// The routes come from the booted application's modules, as Strapi loads the app to list them.
    func run() async throws {
        let routes = try await ProjectSession.withApplication(options) { app in app.routeDescriptions }
        if json {
            let list: [JSONValue] = routes.map { .object(["method": .string($0.method), "path": .string($0.path), "action": .string($0.action)]) }
            print(JSONWriter.prettyString(.array(list)))
            return
        }
        printTable(["method", "path", "action"], routes.map { [$0.method, $0.path, $0.action] })
    }
}

func printTable(_ header: [String], _ rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        let line = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
        print(line)
    }
}
