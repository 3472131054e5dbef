import Foundation
import StrataCore

/// Reads the schemas of a Strapi-shaped project folder:
/// `src/api/<api>/content-types/<name>/schema.json` and `src/components/<category>/<name>.json`.
public struct SchemaLoader: Sendable {
    public var parser: SchemaParser

    public init(parser: SchemaParser = SchemaParser()) {
        self.parser = parser
    }

    /// Loads and validates every schema under `projectDirectory`.
    public func load(projectDirectory: String) throws(SchemaError) -> SchemaRegistry {
        let root = URL(fileURLWithPath: projectDirectory)
        var contentTypes: [ContentType] = []
        var components: [Component] = []
        let apiDirectory = root.appendingPathComponent("src/api")
        for api in Self.subdirectories(of: apiDirectory) {
            let typesDirectory = apiDirectory.appendingPathComponent(api).appendingPathComponent("content-types")
            for name in Self.subdirectories(of: typesDirectory) {
                let file = typesDirectory.appendingPathComponent(name).appendingPathComponent("schema.json")
                guard FileManager.default.fileExists(atPath: file.path) else { continue }
                let relative = "src/api/\(api)/content-types/\(name)/schema.json"
                guard let uid = try? UID("api::\(api).\(name)") else {
                    throw SchemaError(file: relative, reason: "folder names do not form a valid uid")
                }
                let json = try Self.readJSON(file, relative: relative)
                contentTypes.append(try parser.contentType(uid: uid, json: json, sourcePath: relative))
            }
        }
        let componentsDirectory = root.appendingPathComponent("src/components")
        for category in Self.subdirectories(of: componentsDirectory) {
            let categoryDirectory = componentsDirectory.appendingPathComponent(category)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: categoryDirectory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".json") {
                let name = String(file.dropLast(5))
                let relative = "src/components/\(category)/\(file)"
                guard let uid = try? UID("\(category).\(name)") else {
                    throw SchemaError(file: relative, reason: "file and folder names do not form a valid component uid")
                }
                let json = try Self.readJSON(categoryDirectory.appendingPathComponent(file), relative: relative)
                components.append(try parser.component(uid: uid, json: json, sourcePath: relative))
            }
        }
        return try SchemaRegistry(contentTypes: contentTypes, components: components)
    }

    static func subdirectories(of url: URL) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        return entries.filter { entry in
            var isDirectory: ObjCBool = false
            return !entry.hasPrefix(".")
                && FileManager.default.fileExists(atPath: url.appendingPathComponent(entry).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    static func readJSON(_ url: URL, relative: String) throws(SchemaError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SchemaError(file: relative, reason: "cannot be read")
        }
        do {
            return try JSONParser.parse([UInt8](data))
        } catch {
            throw SchemaError(file: relative, reason: "invalid JSON: \(error)")
        }
    }
}
