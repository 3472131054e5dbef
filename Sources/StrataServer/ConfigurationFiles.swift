import Foundation
public import StrataCore

/// The `config/*.json` files of a project, with `${NAME}` and `${NAME:-default}` replaced from
/// the project environment (Strata's JSON counterpart of Strapi's `env('NAME', default)`).
public struct ConfigurationFiles: Sendable {
    public private(set) var files: [String: JSONValue]

    public init(files: [String: JSONValue] = [:]) {
        self.files = files
    }

    /// Reads every `config/<name>.json`, then lays `config/env/<environment>/<name>.json` over
    /// it as Strapi does (lodash `merge`), the environment being `NODE_ENV` (or `STRATA_ENV`),
    /// `development` when unset. A malformed file stops start-up with its name.
    public static func load(projectDirectory: String, environment: ProjectEnvironment) throws -> ConfigurationFiles {
        let directory = URL(fileURLWithPath: projectDirectory).appendingPathComponent("config")
        var files = try read(directory, prefix: "config", environment: environment)
        let name = Self.environmentName(environment)
        // The name comes from the environment: only a plain folder name is looked up.
        if !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") {
            let overrides = try read(directory.appendingPathComponent("env").appendingPathComponent(name), prefix: "config/env/\(name)", environment: environment)
            for (file, value) in overrides { files[file] = files[file].map { $0.merged(with: value) } ?? value }
        }
        return ConfigurationFiles(files: files)
    }

    /// The configuration environment: `NODE_ENV`, else `STRATA_ENV`, else `development`.
    public static func environmentName(_ environment: ProjectEnvironment) -> String {
        environment["NODE_ENV"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["STRATA_ENV"].flatMap { $0.isEmpty ? nil : $0 } ?? "development"
    }

    static func read(_ directory: URL, prefix: String, environment: ProjectEnvironment) throws -> [String: JSONValue] {
        var files: [String: JSONValue] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for entry in entries.sorted() where entry.hasSuffix(".json") {
            let name = String(entry.dropLast(5))
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(entry).path) else { continue }
            do {
                let json = try JSONParser.parse([UInt8](data))
                files[name] = try interpolate(json, environment: environment, file: "\(prefix)/\(entry)")
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw ConfigurationError("\(prefix)/\(entry): invalid JSON: \(error)")
            }
        }
        return files
    }

    /// The value at a dotted path in a file, e.g. `value("server", "port")`.
    public func value(_ file: String, _ path: String...) -> JSONValue? {
        var current = files[file]
        for key in path { current = current?[key] }
        return current
    }

    static func interpolate(_ value: JSONValue, environment: ProjectEnvironment, file: String) throws -> JSONValue {
        switch value {
        case .string(let text) where text.contains("${"):
            return .string(try substitute(text, environment: environment, file: file))
        case .array(let items):
            return .array(try items.map { try interpolate($0, environment: environment, file: file) })
        case .object(let object):
            var result = JSONObject(minimumCapacity: object.count)
            for (key, member) in object { result.appendUnique(key, try interpolate(member, environment: environment, file: file)) }
            return .object(result)
        default:
            return value
        }
    }

    static func substitute(_ text: String, environment: ProjectEnvironment, file: String) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigurationError("\(file): unterminated ${ in \"\(text)\"")
            }
            let expression = rest[start.upperBound..<end]
            let name: Substring
            var fallback: String?
            if let separator = expression.range(of: ":-") {
                name = expression[..<separator.lowerBound]
                fallback = String(expression[separator.upperBound...])
            } else {
                name = expression
            }
            if let value = environment[String(name)], !value.isEmpty {
                result += value
            } else if let fallback {
                result += fallback
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

/// A configuration problem that stops start-up, with a message naming the file and key.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension JSONValue {
    /// Integers, or strings holding one (interpolated values are strings).
    var configInt: Int? {
        if let number = intValue { return Int(number) }
        if let text = stringValue { return Int(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// Booleans, or the strings `true`/`false`/`1`/`0`.
    var configBool: Bool? {
        if let flag = boolValue { return flag }
        switch stringValue?.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: return nil
        }
    }
}
