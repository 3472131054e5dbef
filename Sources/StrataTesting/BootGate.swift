import Foundation
import StrataTestDatabase

/// Lets a bounded number of ``TestStrata`` instances boot at once on PostgreSQL. A parallel
/// pass starts about 150 tests together; unbounded, their boots (schema creation, seeding) share
/// two cores and 450 connections and each takes minutes, which hides a boot that is really stuck.
/// Requests after boot are not limited.
actor BootGate {
    /// Boots at once: `STRATA_TEST_CONCURRENT_BOOTS`, else 8 per core on Postgres; SQLite boots
    /// (about 0.1 s in memory) are not limited.
    static let shared = BootGate(permits: {
        if let value = Int(ProcessInfo.processInfo.environment["STRATA_TEST_CONCURRENT_BOOTS"] ?? ""), value > 0 { return value }
        return TestDatabase.isPostgres ? 8 * ProcessInfo.processInfo.activeProcessorCount : Int.max
    }())

    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) {
        available = permits
    }

    /// Runs `body` once a permit is free.
    nonisolated func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            // The permit passes straight to the longest waiter.
            waiters.removeFirst().resume()
        }
    }
}
