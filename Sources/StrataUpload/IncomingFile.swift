import Foundation
public import StrataCore

/// An uploaded file, already received into a temporary file (never held in memory).
public struct IncomingFile: Sendable {
    /// The client's file name (multipart `filename`).
    public var filename: String
    /// The declared `Content-Type`, if any.
    public var mime: String?
    /// The temporary file holding the bytes; the caller owns and removes it.
    public var path: String
    public var size: Int64

    public init(filename: String, mime: String?, path: String, size: Int64) {
        self.filename = filename
        self.mime = mime
        self.path = path
        self.size = size
    }
}

/// Strapi's `fileInfo`: metadata given with an upload or on its own to edit a file.
public struct FileInfo: Sendable, Equatable {
    public var name: String?
    public var alternativeText: String??
    public var caption: String??

    public init(name: String? = nil, alternativeText: String?? = nil, caption: String?? = nil) {
        self.name = name
        self.alternativeText = alternativeText
        self.caption = caption
    }

    /// Reads one `fileInfo` object, validating like Strapi's yup schema (strings or `null`).
    public init(json: JSONValue?) throws {
        self.init()
        guard let json, json != .null else { return }
        guard case .object(let object) = json else { throw ValidationError("fileInfo must be an object") }
        var errors: [ValidationError.FieldError] = []
        func text(_ key: String, nullable: Bool) -> String?? {
            guard let value = object[key] else { return .none }
            if value == .null {
                if !nullable { errors.append(.init(path: [key], message: "\(key) must be a `string` type, but the final value was: `null`.")) }
                return .some(nil)
            }
            guard let string = value.stringValue else {
                errors.append(.init(path: [key], message: "\(key) must be a `string` type"))
                return .none
            }
            return .some(string)
        }
        name = text("name", nullable: false) ?? nil
        alternativeText = text("alternativeText", nullable: true)
        caption = text("caption", nullable: true)
        if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
    }

    /// `fileInfo` as clients send it: a JSON string or an object for one file, an array for several.
    public static func list(_ value: JSONValue?) throws -> [FileInfo] {
        guard var value, value != .null else { return [] }
        if case .string(let text) = value {
            do { value = try JSONParser.parse(Array(text.utf8)) } catch { throw ValidationError("fileInfo must be valid JSON") }
        }
        if case .array(let items) = value { return try items.map { try FileInfo(json: $0) } }
        return [try FileInfo(json: value)]
    }
}

/// Strapi's `ref`/`refId`/`field`: link the uploaded files to a media field of an existing entry.
public struct UploadLink: Sendable, Equatable {
    public var ref: String
    public var refId: String
    public var field: String

    public init(ref: String, refId: String, field: String) {
        self.ref = ref
        self.refId = refId
        self.field = field
    }
}
