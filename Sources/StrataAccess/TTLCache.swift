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
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.expires > now { return entry.value }
        let value = try await load()
        entries.withLock { $0[key] = (value, now + lifetime) }
        return value
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
