public import Synchronization

/// A value protected by a mutex, for small shared state in `Sendable` classes.
///
/// Inlinable so callers in other modules get it specialized for their `Value`: unspecialized,
/// every call looked up the generic `Mutex<Value>` metadata at run time (a tenth of a findOne's
/// Swift-runtime work went to such lookups).
public final class LockedValue<Value: Sendable>: Sendable {
    @usableFromInline let mutex: Mutex<Value>

    @inlinable
    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    @inlinable
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { try body(&$0) }
    }

    @inlinable
    public var value: Value { mutex.withLock { $0 } }
}
