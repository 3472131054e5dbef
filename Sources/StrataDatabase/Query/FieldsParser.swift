public import StrataCore
import StrataSchema

/// Parses `fields`: a comma list or an array of scalar attribute names; `*` means all.
public enum FieldsParser {
    public static func parse(_ value: JSONValue, model: Model, metadata: StorageMetadata? = nil) throws(ValidationError) -> [String]? {
        var names: [String] = []
        func split(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
        }
        switch value {
        case .string(let text):
            names = split(text)
        case .array(let items):
            for item in items {
                guard let text = item.stringValue else {
                    throw ValidationError("Invalid fields parameter. Expected a string or an array of strings")
                }
                names.append(contentsOf: split(text))
            }
        case .object(let object) where FilterParser.isIndexedObject(object):
            return try parse(.array(object.values), model: model, metadata: metadata)
        case .null:
            return nil
        default:
            throw ValidationError("Invalid fields parameter. Expected a string or an array of strings")
        }
        if names.contains("*") { return nil }
        for name in names {
            guard let field = model.field(name), field.column != nil, metadata?.isVisible(field, in: model) ?? field.isVisible(in: model) else {
                throw ValidationError.invalidKey(name, source: "query", param: "fields")
            }
        }
        return names
    }
}

extension Field {
    /// Fields the Content API may read: not private (attribute flag or the type's
    /// `privateAttributes`) and not passwords.
    public func isVisible(in model: Model) -> Bool {
        guard let attribute else { return !(model.contentType?.privateAttributes.contains(name) ?? false) }
        if attribute.isPrivate || (model.contentType?.privateAttributes.contains(attribute.name) ?? false) { return false }
        if case .password = attribute.kind { return false }
        return true
    }
}
