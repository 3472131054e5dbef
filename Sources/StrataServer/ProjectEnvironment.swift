public import Foundation

/// Environment variables of a project: the process environment over the project's `.env` file
/// (as dotenv does, variables already set in the process win).
public struct ProjectEnvironment: Sendable {
    public private(set) var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// Loads `<projectDirectory>/.env` and overlays `processEnvironment`.
    public static func load(projectDirectory: String, processEnvironment: [String: String] = ProcessInfo.processInfo.environment) -> ProjectEnvironment {
        var values: [String: String] = [:]
        let path = URL(fileURLWithPath: projectDirectory).appendingPathComponent(".env").path
        if let data = FileManager.default.contents(atPath: path) {
            values = parseDotEnv(String(decoding: data, as: UTF8.self))
        }
        values.merge(processEnvironment) { _, process in process }
        return ProjectEnvironment(values: values)
    }

    public subscript(name: String) -> String? { values[name] }

    /// Parses `KEY=value` lines: comments, `export `, single/double quotes and `\n` in double quotes.
    public static func parseDotEnv(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
                if quote == "\"" { value = value.replacingOccurrences(of: "\\n", with: "\n") }
            } else if let hash = value.range(of: " #") {
                value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            result[key] = value
        }
        return result
    }
}
