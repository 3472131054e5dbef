/// One result row: values in select order plus the shared column names.
public struct DatabaseRow: Sendable {
    public let columns: ColumnNames
    public var values: [DatabaseValue]

    public init(columns: ColumnNames, values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(column: String) -> DatabaseValue {
        guard let index = columns.index(of: column) else { return .null }
        return values[index]
    }

    public subscript(index: Int) -> DatabaseValue { values[index] }
}

/// Column names of a result set, shared by all its rows, with a name → index map.
public final class ColumnNames: Sendable {
    public let names: [String]
    private let indexes: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexes[name] == nil { indexes[name] = index }
        self.indexes = indexes
    }

    public func index(of name: String) -> Int? { indexes[name] }
}
