/// Invalid input (400), Strapi's `ValidationError`.
///
/// Field-level failures carry `details.errors`, each `{path, message, name}` with the path split
/// into segments (`["seo", "metaTitle"]`, `["blocks", "2", "title"]`), as Strapi formats yup errors.
public struct ValidationError: StrataError {
    /// One failing field.
    public struct FieldError: Sendable, Equatable {
        public var path: [String]
        public var message: String
        public var value: JSONValue?

        public init(path: [String], message: String, value: JSONValue? = nil) {
            self.path = path
            self.message = message
            self.value = value
        }
    }

    public let message: String
    public let details: JSONValue
    public var name: String { "ValidationError" }
    public var status: Int { 400 }

    public init(_ message: String, details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }

    /// Builds the error Strapi's yup formatter produces: the single message, or "N errors occurred".
    public init(fieldErrors: [FieldError]) {
        self.message = fieldErrors.count == 1 ? fieldErrors[0].message : "\(fieldErrors.count) errors occurred"
        let errors: [JSONValue] = fieldErrors.map { error in
            var object: JSONObject = [
                "path": .array(error.path.map { .string($0) }),
                "message": .string(error.message),
                "name": "ValidationError",
            ]
            if let value = error.value { object["value"] = value }
            return .object(object)
        }
        self.details = .object(["errors": .array(errors)])
    }

    /// Strapi's "Invalid key" error for an unknown or forbidden key in a query or body.
    public static func invalidKey(_ key: String, path: String? = nil, source: String, param: String? = nil) -> ValidationError {
        let fullPath = path ?? key
        let message = fullPath == key ? "Invalid key \(key)" : "Invalid key \(key) at \(fullPath)"
        var details: JSONObject = ["key": .string(key), "path": .string(fullPath), "source": .string(source)]
        if let param { details["param"] = .string(param) }
        return ValidationError(message, details: .object(details))
    }

    /// The field errors carried in `details.errors`, if any.
    public var fieldErrors: [FieldError] {
        guard let errors = details["errors"]?.arrayValue else { return [] }
        return errors.compactMap { error in
            guard let message = error["message"]?.stringValue else { return nil }
            let path = error["path"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return FieldError(path: path, message: message, value: error["value"])
        }
    }
}
