public import Foundation
public import StrataSchema
import StrataAccess

/// A Strapi-shaped project folder, loaded: environment, configuration and schemas.
public struct StrataProject: Sendable {
    public let directory: String
    public let environment: ProjectEnvironment
    public let files: ConfigurationFiles
    public let configuration: StrataConfiguration
    public let registry: SchemaRegistry

    /// Loads the project at `directory`; every problem is reported as one clear error naming
    /// the file at fault.
    public static func load(directory: String, processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> StrataProject {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("\(root) is not a project folder")
        }
        guard FileManager.default.fileExists(atPath: root + "/src") || FileManager.default.fileExists(atPath: root + "/config") else {
            throw ConfigurationError("\(root) does not look like a Strapi project (no src/ or config/ folder); run `strata new <name>` to create one")
        }
        let environment = ProjectEnvironment.load(projectDirectory: root, processEnvironment: processEnvironment)
        let files = try ConfigurationFiles.load(projectDirectory: root, environment: environment)
        let configuration = try StrataConfiguration.resolve(files: files, environment: environment, projectDirectory: root)
        let registry = try SchemaLoader().load(projectDirectory: root).adding(contentTypes: BuiltInSchemas.contentTypes() + AccessSchemas.contentTypes())
        return StrataProject(directory: root, environment: environment, files: files, configuration: configuration, registry: registry)
    }

    public init(directory: String, environment: ProjectEnvironment, files: ConfigurationFiles, configuration: StrataConfiguration, registry: SchemaRegistry) {
        self.directory = directory
        self.environment = environment
        self.files = files
        self.configuration = configuration
        self.registry = registry
    }

    /// The folder served as static files (`public/`).
    public var publicDirectory: String { directory + "/public" }
}
