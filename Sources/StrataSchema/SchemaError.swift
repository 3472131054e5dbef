/// A schema that cannot be loaded, naming the file, the attribute and the reason, so that
/// start-up can stop with one clear line.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var model: String?
    public var attribute: String?
    public var reason: String

    public init(file: String? = nil, model: String? = nil, attribute: String? = nil, reason: String) {
        self.file = file
        self.model = model
        self.attribute = attribute
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) } else if let model { parts.append(model) }
        if let attribute { parts.append("attribute \"\(attribute)\"") }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}
