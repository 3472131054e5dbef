/// An insertion-ordered JSON object.
///
/// Objects in a CMS are small (tens of keys), so a pair of parallel arrays with linear lookup
/// beats hashing and keeps the order JSON output must have.
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String]
    public private(set) var values: [JSONValue]

    public init() {
        keys = []
        values = []
    }

    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    public init(minimumCapacity: Int) {
        keys = []
        values = []
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// An object of `keys` (unique, in order) and their `values`. Rows of one query pass the same
    /// `keys` array, so they share its storage and later steps can compare keys by identity.
    public init(uniqueKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count, "JSONObject(uniqueKeys:values:) needs one value per key")
        self.keys = keys
        self.values = values
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func index(of key: String) -> Int? {
        keys.firstIndex(of: key)
    }

    public func contains(_ key: String) -> Bool {
        keys.contains(key)
    }

    /// Reads or writes a member. Assigning `nil` removes the key; assigning to an existing key
    /// keeps its position.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return values[index]
        }
        set {
            if let index = index(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Replaces the value of the member at `index` (a position from ``index(of:)`` or a parser's own index).
    public mutating func setValue(_ value: JSONValue, at index: Int) {
        values[index] = value
    }

    /// Appends without checking for an existing key; callers guarantee uniqueness (hot paths).
    public mutating func appendUnique(_ key: String, _ value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(of: key) else { return nil }
        keys.remove(at: index)
        return values.remove(at: index)
    }

    /// Keeps only the members for which `isIncluded` returns `true`.
    public mutating func removeAll(where shouldRemove: (String, JSONValue) -> Bool) {
        var newKeys: [String] = []
        var newValues: [JSONValue] = []
        for (key, value) in zip(keys, values) where !shouldRemove(key, value) {
            newKeys.append(key)
            newValues.append(value)
        }
        keys = newKeys
        values = newValues
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var index = 0

        public mutating func next() -> (key: String, value: JSONValue)? {
            guard index < object.keys.count else { return nil }
            defer { index += 1 }
            return (key: object.keys[index], value: object.values[index])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
