import StrataCore

/// A tiny keyed cache whose entries expire after a short time, so several Strata processes
/// sharing one database see each other's permission changes within that time.
final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = LockedValue<[Key: (value: Value, expires: ContinuousClock.Instant)]>([:])
    let lifetime: Duration

    init(lifetime: Duration = .seconds(1)) {
        self.lifetime = lifetime
    }

    func value(for key: Key, _ load: () async throws -> Value) async throws -> Value {
        if let value = cachedValue(for: key) { return value }
        let now = ContinuousClock.now
        let value = try await load()
        entries.withLock { $0[key] = (value, now + lifetime) }
        return value
    }

    /// The value for `key` when it is cached and fresh. Synchronous, so the callers' hot path (every
    /// request checks a role and its actions) does not set up the async call and closure of `value(for:_:)`.
    func cachedValue(for key: Key) -> Value? {
        guard let entry = entries.withLock({ $0[key] }), entry.expires > ContinuousClock.now else { return nil }
        return entry.value
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
