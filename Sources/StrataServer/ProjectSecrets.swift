import Foundation
import StrataCore

/// Secrets a project needs (`JWT_SECRET`, `API_TOKEN_SALT`): read from configuration or the
/// environment, or generated once and appended to the project's `.env`, as Strapi does for
/// `JWT_SECRET`, so tokens stay valid across restarts.
struct ProjectSecrets {
    let directory: String
    let environment: ProjectEnvironment

    func value(configured: String?, variable: String) throws -> String {
        if let configured, !configured.isEmpty { return configured }
        if let value = environment[variable], !value.isEmpty { return value }
        let secret = Secrets.base64(bytes: 16)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(".env").path
        var contents = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if !contents.isEmpty && !contents.hasSuffix("\n") { contents += "\n" }
        contents += "\(variable)=\(secret)\n"
        do {
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ConfigurationError("\(variable) is not set and .env cannot be written to store a generated one: \(error.localizedDescription)")
        }
        return secret
    }
}
