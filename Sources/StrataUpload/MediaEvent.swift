public import StrataDocuments

/// A Media Library event (`media.create`, `media.update`, `media.delete`), delivered after the
/// write that caused it committed.
public struct MediaEvent: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case created = "media.create"
        case updated = "media.update"
        case deleted = "media.delete"
    }

    public var kind: Kind
    /// The file as stored (not sanitized); for deletes, as it was.
    public var file: Document
}
