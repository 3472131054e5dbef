public import struct Foundation.Date

/// The source of "now" for timestamps; injected so tests are deterministic.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// The real clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(date: Date())
    }
}

extension Timestamp {
    public init(date: Date) {
        self.init(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }
}
