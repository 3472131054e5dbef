public import StrataCore

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
