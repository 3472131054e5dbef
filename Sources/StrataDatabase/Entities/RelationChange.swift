/// A change to the targets of one relation of one row, with targets as row ids.
public enum RelationChange: Sendable, Equatable {
    /// Replace every target, in this order (`set`, the shorthand array, or `null` as `[]`).
    case set([Int64])
    /// Partial update: `disconnect` first, then `connect` in order with optional positions.
    case connect([RelationConnection], disconnect: [Int64], strict: Bool)
}

/// One `connect` entry.
public struct RelationConnection: Sendable, Equatable {
    public var id: Int64
    public var position: RelationPosition?

    public init(id: Int64, position: RelationPosition? = nil) {
        self.id = id
        self.position = position
    }
}

/// Where a connected target goes in the ordered list.
public enum RelationPosition: Sendable, Equatable {
    case start
    case end
    case before(Int64)
    case after(Int64)

    var adjacent: Int64? {
        switch self {
        case .before(let id), .after(let id): return id
        default: return nil
        }
    }
}

/// An invalid `connect` list (duplicates, cycles, unknown anchors), reported as Strapi's 400.
public struct InvalidRelationError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Computes the ordered target list a change produces — Strapi's `relationsOrderer` semantics:
/// disconnects first, then each connect in dependency order; a reconnected target moves.
public enum RelationOrdering {
    public static func apply(_ change: RelationChange, to current: [Int64]) throws -> [Int64] {
        switch change {
        case .set(let ids):
            var seen = Set<Int64>()
            return ids.filter { seen.insert($0).inserted }
        case .connect(let connections, let disconnect, let strict):
            let connected = Set(connections.map(\.id))
            var list = current.filter { !disconnect.contains($0) || connected.contains($0) }
            for connection in try sortConnections(connections, existing: Set(list), strict: strict) {
                list.removeAll { $0 == connection.id }
                var index = list.count
                switch connection.position {
                case .start: index = 0
                case .before(let anchor): index = list.firstIndex(of: anchor) ?? list.count
                case .after(let anchor): index = list.firstIndex(of: anchor).map { $0 + 1 } ?? list.count
                case .end, .none: index = list.count
                }
                list.insert(connection.id, at: index)
            }
            return list
        }
    }

    /// Orders connections so every `before`/`after` anchor is placed before it is referenced.
    static func sortConnections(_ connections: [RelationConnection], existing: Set<Int64>, strict: Bool) throws -> [RelationConnection] {
        var byID: [Int64: RelationConnection] = [:]
        for connection in connections {
            if byID[connection.id] != nil {
                throw InvalidRelationError(description: "The relation with id \(connection.id) is already connected. You cannot connect the same relation twice.")
            }
            byID[connection.id] = connection
        }
        let needsSorting = connections.contains { connection in
            guard let anchor = connection.position?.adjacent else { return false }
            return !existing.contains(anchor)
        }
        if !needsSorting { return connections }
        var sorted: [RelationConnection] = []
        var done = Set<Int64>()
        // Each connection names at most one anchor, so the anchors form chains: follow one to its
        // end (an existing relation, a placed connection, or none), then place it end first. A
        // loop, not recursion: the chain's length comes from the request body.
        for start in connections {
            var chain: [RelationConnection] = []
            var inChain = Set<Int64>()
            var current = start
            while !done.contains(current.id) {
                let anchor = current.position?.adjacent
                if let anchor, inChain.contains(anchor) {
                    throw InvalidRelationError(description: "A circular reference was found in the connect array. One relation is trying to connect before/after another one that is trying to connect before/after it")
                }
                done.insert(current.id)
                guard let anchor, !existing.contains(anchor) else {
                    chain.append(current)
                    break
                }
                if let other = byID[anchor] {
                    chain.append(current)
                    inChain.insert(current.id)
                    current = other
                } else if strict {
                    throw InvalidRelationError(description: "There was a problem connecting relation with id \(current.id) at position \(current.position.map(describe) ?? "{}"). The relation with id \(anchor) needs to be connected first.")
                } else {
                    chain.append(RelationConnection(id: current.id, position: .end))
                    break
                }
            }
            sorted.append(contentsOf: chain.reversed())
        }
        return sorted
    }

    static func describe(_ position: RelationPosition) -> String {
        switch position {
        case .start: return #"{"start":true}"#
        case .end: return #"{"end":true}"#
        case .before(let id): return #"{"before":\#(id)}"#
        case .after(let id): return #"{"after":\#(id)}"#
        }
    }
}
