public import SQLKit

/// A placeholder bind: "the value numbered `index`", supplied when the statement runs.
///
/// A statement built with slots instead of values is the same for every request of one shape
/// (a findOne of any document), so its text can be built once (``StatementTemplate``) and only
/// its values change. A slot left unfilled never reaches a database: ``DatabaseClient`` rejects
/// any bind that is not a ``DatabaseValue``.
public struct BindSlot: Encodable, Sendable, Hashable {
    public let index: Int

    public init(_ index: Int) {
        self.index = index
    }

    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "an unfilled bind slot"))
    }
}

/// SQL text with its binds, where some binds are ``BindSlot``s to fill per execution.
public struct StatementTemplate: Sendable {
    public enum Bind: Sendable, Equatable {
        case value(DatabaseValue)
        case slot(Int)
    }

    public let sql: String
    public let binds: [Bind]
    /// How many values ``binds(filling:)`` expects (one more than the highest slot).
    public let slotCount: Int

    public init(sql: String, binds: [Bind]) {
        self.sql = sql
        self.binds = binds
        slotCount = binds.reduce(0) { count, bind in
            if case .slot(let index) = bind { return max(count, index + 1) }
            return count
        }
    }

    /// The binds with every slot replaced by its value; `values` holds at least ``slotCount``.
    public func binds(filling values: [DatabaseValue]) -> [DatabaseValue] {
        precondition(values.count >= slotCount, "a statement template needs \(slotCount) values, got \(values.count)")
        return binds.map { bind in
            switch bind {
            case .value(let value): return value
            case .slot(let index): return values[index]
            }
        }
    }
}

/// An expression built with ``BindSlot``s, serialized with its slots filled: for statements run
/// once, where a template would not be kept.
public struct SQLFilledSlots: SQLExpression {
    public let expression: any SQLExpression
    public let values: [DatabaseValue]

    public init(_ expression: any SQLExpression, values: [DatabaseValue]) {
        self.expression = expression
        self.values = values
    }

    public func serialize(to serializer: inout SQLSerializer) {
        let start = serializer.binds.count
        expression.serialize(to: &serializer)
        // Placeholders are positional, so the text stays; only the bind list changes. A slot
        // out of range stays a slot, which DatabaseClient refuses to run.
        for position in start..<serializer.binds.count {
            if let slot = serializer.binds[position] as? BindSlot, values.indices.contains(slot.index) {
                serializer.binds[position] = values[slot.index]
            }
        }
    }
}
