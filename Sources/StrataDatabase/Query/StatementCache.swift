import StrataCore
import StrataSQL

/// The SQL of entity reads kept per query shape, so a request whose filters, fields and sort have
/// been seen before skips compiling and serializing them and only converts its values.
///
/// Building a findOne's statement (resolving the filter against the schema, building SQLKit
/// expressions, writing them out) cost more instructions than SQLite spent running it. Keys hold a
/// filter's shape (``Filter/parameterized(into:)``), never its values, so the number of keys is
/// the number of distinct queries an application's front end sends; the cache still stops
/// growing at ``capacity`` entries (then starts over), whatever clients send.
final class StatementCache: Sendable {
    /// What decides a read's SQL, apart from values.
    struct Key: Hashable, Sendable {
        enum Statement: Hashable, Sendable {
            /// `limit` is in the text (pages have a few sizes); an offset is appended per read.
            case select(fields: [String]?, sort: [SortField], atMostOneRow: Bool, limit: Int?)
            case count
        }

        /// The model, by identity; only models the database holds (so alive) are cached.
        let model: ObjectIdentifier
        let statement: Statement
        let filter: Filter
    }

    /// A statement ending before `OFFSET`, how its rows decode, and how to convert the filter's
    /// values for its slots.
    struct Entry: Sendable {
        let template: StatementTemplate
        let selection: ColumnSelection?
        let conversions: [FilterValueConversion]
    }

    static let capacity = 512
    private let entries = LockedValue<[Key: Entry]>([:])

    subscript(key: Key) -> Entry? {
        entries.withLock { $0[key] }
    }

    func store(_ entry: Entry, for key: Key) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
