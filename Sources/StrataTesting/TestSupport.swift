public import StrataCore
import StrataTestDatabase

/// Document ids `aaaaaaaaaaaaaaaaaaaa0001`, `…0002`…: valid, predictable ids for golden tests.
public final class SequentialDocumentIDGenerator: DocumentIDGenerator {
    private let counter = LockedValue(0)

    public init() {}

    public func next() -> String {
        let value = counter.withLock { count -> Int in
            count += 1
            return count
        }
        let digits = String(value)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return String(repeating: "a", count: 24 - padded.count) + padded
    }
}

/// A clock that starts at a fixed instant and advances one millisecond per reading.
public final class SteppingClock: WallClock {
    private let current: LockedValue<Int64>

    public init(start: Timestamp = Timestamp(iso8601: "2024-03-06T13:42:05.098Z")!) {
        current = LockedValue(start.millisecondsSince1970)
    }

    public func now() -> Timestamp {
        Timestamp(millisecondsSince1970: current.withLock { value -> Int64 in
            value += 1
            return value
        })
    }
}

extension TestStrata {
    /// Whether JSON attribute values come back with their keys in the order they were written.
    /// Postgres' `jsonb` (Strapi's column type there) stores objects with its own key order.
    public static var preservesJSONKeyOrder: Bool { !TestDatabase.isPostgres }
}

extension JSONValue {
    /// This value with every object's keys sorted, to compare values whose key order a database
    /// may have changed.
    public var sortingKeys: JSONValue {
        switch self {
        case .object(let object):
            var sorted = JSONObject()
            for key in object.keys.sorted() { sorted[key] = object[key]!.sortingKeys }
            return .object(sorted)
        case .array(let elements):
            return .array(elements.map(\.sortingKeys))
        default:
            return self
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `limit` has passed (generous: a loaded parallel
/// run is slow), and says whether it held. For tests that wait on another task or process.
@discardableResult
public func waitUntil(within limit: Duration = .seconds(60), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
