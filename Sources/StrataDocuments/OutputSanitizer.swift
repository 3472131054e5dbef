public import StrataCore
public import StrataSchema

/// Removes what the Content API must never return: password attributes, private attributes
/// (attribute flag, the type's `privateAttributes`, and the global `api.responses.privateAttributes`).
public struct OutputSanitizer: Sendable {
    public let globalPrivateAttributes: Set<String>

    public init(globalPrivateAttributes: [String] = []) {
        self.globalPrivateAttributes = Set(globalPrivateAttributes)
    }

    /// The names to remove from documents of a type.
    public func hiddenKeys(_ attributes: [Attribute], typePrivate: [String]) -> Set<String> {
        var hidden = globalPrivateAttributes.union(typePrivate)
        for attribute in attributes {
            if attribute.isPrivate { hidden.insert(attribute.name) }
            if case .password = attribute.kind { hidden.insert(attribute.name) }
        }
        return hidden
    }

    public func sanitize(_ document: Document, contentType: ContentType) -> Document {
        let hidden = hiddenKeys(contentType.attributes, typePrivate: contentType.privateAttributes)
        guard !hidden.isEmpty else { return document }
        var copy = document
        copy.removeAll { key, _ in hidden.contains(key) }
        return copy
    }
}
