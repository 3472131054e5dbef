public import ArgumentParser
import Foundation
public import StrataServer

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new project folder.")

    @Argument(help: "The folder to create.")
    var name: String

    @Option(help: "Start from an example project (blog).")
    var example: ProjectTemplate.Example?

    func run() throws {
        do {
            try ProjectTemplate.create(at: name, example: example)
        } catch {
            throw ExitCode.fail("\(error)")
        }
        print("Created \(name)\(example.map { " from the \($0.rawValue) example" } ?? "").")
        print("Start it with:  cd \(name) && strata develop")
    }
}

extension ProjectTemplate.Example: ExpressibleByArgument {}
