public import StrataCore

/// Validated write data of one row (a document version or a component), split by storage.
public struct EntryValues: Sendable {
    /// Normalised scalar values, in attribute order.
    public var scalars: [(String, JSONValue)] = []
    /// Relation and media values, still referencing documents.
    public var relations: [(String, RelationInput)] = []
    /// Component, repeatable component and dynamic zone values; each replaces the field.
    public var components: [(String, [ComponentEntry])] = []

    public init() {}
}

/// One component of a component field or dynamic zone.
public struct ComponentEntry: Sendable {
    public var uid: UID
    /// The existing component row to update in place, when the payload names one.
    public var id: Int64?
    public var values: EntryValues
}
