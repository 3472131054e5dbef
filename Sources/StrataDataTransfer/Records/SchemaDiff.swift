public import StrataCore

/// One difference between the source's and the destination's normalised schemas.
public struct SchemaDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Only in the destination.
        case added
        /// Only in the source: its data will not be transferred.
        case deleted
        case modified
    }

    public let uid: String
    /// Dotted path inside the schema (`attributes.title.type`); empty for a whole schema.
    public let path: String
    public let kind: Kind
    public let source: JSONValue?
    public let destination: JSONValue?

    public var description: String {
        let location = path.isEmpty ? uid : "\(uid).\(path)"
        switch kind {
        case .added: return "\(location) exists in destination schema but not in source schema and the data will not be transferred."
        case .deleted: return "\(location) exists in source schema but not in destination schema and the data will not be transferred."
        case .modified:
            return "Schema value changed at \"\(location)\": \(Self.render(source)) => \(Self.render(destination))"
        }
    }

    /// Strapi CLI's wording for a schema integrity warning.
    public var cliDescription: String {
        let location = path.isEmpty ? uid : "\(uid).\(path)"
        switch kind {
        case .added: return "\(location) does not exist on source"
        case .deleted: return "\(location) does not exist on destination"
        case .modified: return "\(location) has a different data type: \(Self.render(source)) => \(Self.render(destination))"
        }
    }

    static func render(_ value: JSONValue?) -> String {
        guard let value else { return "undefined" }
        return "\(JSONWriter.string(value)) (\(value.typeName))"
    }
}

/// Strapi's `strict` schema strategy: a deep diff over every uid both sides know, ignoring only
/// `attributes.<name>.{private,required,configurable,default}` and the EE audit-log type.
///
/// Strata additionally ignores plugin and admin types that exist on one side only (for example
/// `admin::user` or `plugin::content-releases.release` from a Strapi archive): Strata has no such
/// models and their entities are never transferred, so they cannot lose data.
public enum SchemaDiff {
    static let ignoredAttributeProperties: Set<String> = ["private", "required", "configurable", "default"]

    public static func strict(source: [String: JSONObject], destination: [String: JSONObject]) -> [SchemaDifference] {
        var differences: [SchemaDifference] = []
        let uids = Set(source.keys).union(destination.keys).sorted()
        for uid in uids {
            let left = source[uid], right = destination[uid]
            if isAuditLog(left) || isAuditLog(right) { continue }
            switch (left, right) {
            case (nil, .some):
                if !isUserDefined(uid) { continue }
                differences.append(SchemaDifference(uid: uid, path: "", kind: .added, source: nil, destination: nil))
            case (.some, nil):
                if !isUserDefined(uid) { continue }
                differences.append(SchemaDifference(uid: uid, path: "", kind: .deleted, source: nil, destination: nil))
            case (.some(let left), .some(let right)):
                diff(.object(left), .object(right), path: [], uid: uid, into: &differences)
            case (nil, nil):
                break
            }
        }
        let rank: [SchemaDifference.Kind: Int] = [.modified: 0, .deleted: 1, .added: 2]
        return differences.enumerated().sorted {
            (rank[$0.element.kind]!, $0.offset) < (rank[$1.element.kind]!, $1.offset)
        }.map(\.element)
    }

    static func isUserDefined(_ uid: String) -> Bool {
        !(uid.hasPrefix("plugin::") || uid.hasPrefix("admin::") || uid.hasPrefix("strapi::"))
    }

    static func isAuditLog(_ schema: JSONObject?) -> Bool {
        schema?["info"]?["singularName"]?.stringValue == "audit-log"
    }

    private static func diff(_ left: JSONValue?, _ right: JSONValue?, path: [String], uid: String, into differences: inout [SchemaDifference]) {
        if path.count == 3, path[0] == "attributes", ignoredAttributeProperties.contains(path[2]) { return }
        switch (left, right) {
        case (.object(let a)?, .object(let b)?):
            var keys = a.keys
            for key in b.keys where !a.contains(key) { keys.append(key) }
            for key in keys { diff(a[key], b[key], path: path + [key], uid: uid, into: &differences) }
        case (.array(let a)?, .array(let b)?):
            for index in 0..<max(a.count, b.count) {
                diff(index < a.count ? a[index] : nil, index < b.count ? b[index] : nil, path: path + [String(index)], uid: uid, into: &differences)
            }
        case (nil, nil):
            return
        case (nil, .some):
            differences.append(SchemaDifference(uid: uid, path: path.joined(separator: "."), kind: .added, source: nil, destination: right))
        case (.some, nil):
            differences.append(SchemaDifference(uid: uid, path: path.joined(separator: "."), kind: .deleted, source: left, destination: nil))
        case (.some(let a), .some(let b)):
            if !equal(a, b) {
                differences.append(SchemaDifference(uid: uid, path: path.joined(separator: "."), kind: .modified, source: a, destination: b))
            }
        }
    }

    /// Deep equality where `1` equals `1.0`, as in JavaScript.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: return a == b
        }
    }
}
