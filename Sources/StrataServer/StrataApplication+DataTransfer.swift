import Foundation
import StrataCore
import StrataUpload
public import StrataDataTransfer

extension StrataApplication {
    /// What `strata export`/`import` read and write: this project's database and uploads folder.
    public var transferEnvironment: TransferEnvironment {
        TransferEnvironment(
            database: database,
            uploadsDirectory: URL(fileURLWithPath: project.publicDirectory).appendingPathComponent("uploads"),
            strapiVersion: project.strapiVersion,
            uploadProvider: upload.provider,
            logger: logger
        )
    }
}

extension StrataProject {
    /// The `@strapi/strapi` version in the project's `package.json`, when it has one: exports
    /// record it in `metadata.json` as Strapi does.
    public var strapiVersion: String? {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("package.json")
        guard let data = try? Data(contentsOf: url), let json = try? JSONParser.parse([UInt8](data)),
              let version = json["dependencies"]?["@strapi/strapi"]?.stringValue
        else { return nil }
        // "^5.21.0" / "~5.21.0" / "5.21.0" → "5.21.0"
        let trimmed = version.drop { !$0.isNumber }
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}
