/// Where and how to open an SQLite database.
public struct SQLiteConfiguration: Sendable {
    public enum Storage: Sendable, Equatable {
        /// A private in-memory database (one connection; used by tests).
        case memory
        /// A database file, created with its folder when missing.
        case file(String)
    }

    public var storage: Storage
    /// Read connections besides the single writer (file databases only).
    public var readerCount: Int
    /// How long a connection waits on a lock held by another process.
    public var busyTimeoutMilliseconds: Int

    public init(storage: Storage, readerCount: Int = 4, busyTimeoutMilliseconds: Int = 5000) {
        self.storage = storage
        self.readerCount = readerCount
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}
