public import NIOConcurrencyHelpers

/// A value protected by a mutex, for small shared state in `Sendable` classes.
///
/// Inlinable so callers in other modules get it specialized for their `Value`: unspecialized,
/// every call looked up the generic lock's metadata at run time (a tenth of a findOne's
/// Swift-runtime work went to such lookups).
///
/// A pthread mutex (NIO's lock), not `Synchronization.Mutex`: on Linux that one is a bare futex
/// ThreadSanitizer cannot see, so every access it guards was reported as a race and real races
/// were lost among them.
public final class LockedValue<Value: Sendable>: Sendable {
    @usableFromInline let box: NIOLockedValueBox<Value>

    @inlinable
    public init(_ value: Value) {
        box = NIOLockedValueBox(value)
    }

    @inlinable
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try box.withLockedValue(body)
    }

    @inlinable
    public var value: Value { box.withLockedValue { $0 } }
}
