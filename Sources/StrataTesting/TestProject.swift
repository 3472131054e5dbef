import Foundation
public import StrataCore

/// A throwaway Strapi-shaped project folder with inline schemas, for tests.
public struct TestProject: Sendable {
    /// Content types keyed by uid (`api::article.article`) with their `schema.json`.
    public var contentTypes: [(uid: String, schema: JSONValue)]
    /// Components keyed by uid (`shared.seo`).
    public var components: [(uid: String, schema: JSONValue)]
    /// Files under `config/`, keyed by name without extension.
    public var config: [String: JSONValue]
    /// Other files, keyed by path relative to the project.
    public var files: [String: String]
    /// Enforce authentication and permissions (off by default, like Strapi's test harness).
    public var enforceAccess = false

    public init(
        contentTypes: [(uid: String, schema: JSONValue)] = [],
        components: [(uid: String, schema: JSONValue)] = [],
        config: [String: JSONValue] = [:],
        files: [String: String] = [:]
    ) {
        self.contentTypes = contentTypes
        self.components = components
        self.config = config
        self.files = files
    }

    /// Writes the project into a new temporary folder and returns its path.
    public func write() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("src/api"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("src/components"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("config"), withIntermediateDirectories: true)
        for (uid, schema) in contentTypes {
            guard uid.hasPrefix("api::"), let dot = uid.firstIndex(of: ".") else { throw TestProjectError("bad uid \(uid)") }
            let api = uid[uid.index(uid.startIndex, offsetBy: 5)..<dot]
            let name = uid[uid.index(after: dot)...]
            try write(JSONWriter.prettyString(schema), to: root.appendingPathComponent("src/api/\(api)/content-types/\(name)/schema.json"))
        }
        for (uid, schema) in components {
            let parts = uid.split(separator: ".")
            guard parts.count == 2 else { throw TestProjectError("bad component uid \(uid)") }
            try write(JSONWriter.prettyString(schema), to: root.appendingPathComponent("src/components/\(parts[0])/\(parts[1]).json"))
        }
        for (name, json) in config {
            try write(JSONWriter.prettyString(json), to: root.appendingPathComponent("config/\(name).json"))
        }
        for (path, contents) in files {
            try write(contents, to: root.appendingPathComponent(path))
        }
        return root.path
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A minimal collection type schema with the given attributes.
    public static func collectionType(
        _ singular: String,
        plural: String? = nil,
        draftAndPublish: Bool = false,
        localized: Bool = false,
        attributes: JSONObject
    ) -> JSONValue {
        var schema: JSONObject = [
            "kind": "collectionType",
            "collectionName": .string((plural ?? singular + "s").replacingOccurrences(of: "-", with: "_")),
            "info": .object(["singularName": .string(singular), "pluralName": .string(plural ?? singular + "s"), "displayName": .string(singular.capitalized)]),
            "options": .object(["draftAndPublish": .bool(draftAndPublish)]),
            "attributes": .object(attributes),
        ]
        if localized { schema["pluginOptions"] = .object(["i18n": .object(["localized": true])]) }
        return .object(schema)
    }

    /// A minimal single type schema.
    public static func singleType(_ singular: String, draftAndPublish: Bool = false, attributes: JSONObject) -> JSONValue {
        .object([
            "kind": "singleType",
            "collectionName": .string(singular.replacingOccurrences(of: "-", with: "_") + "s"),
            "info": .object(["singularName": .string(singular), "pluralName": .string(singular + "s"), "displayName": .string(singular.capitalized)]),
            "options": .object(["draftAndPublish": .bool(draftAndPublish)]),
            "attributes": .object(attributes),
        ])
    }
}

struct TestProjectError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
