import Foundation
import StrataCore

/// Names what a ``TestStrata`` is waiting on when one of its steps (boot, a request, shutdown)
/// runs far longer than any test needs, so a hang in a parallel run points at its test and
/// request instead of leaving a silent process behind.
///
/// After `reportAfter` it writes one line to standard error; after `abortAfter` it ends the
/// process, so the pass fails with the step's name as its last words rather than at the pass's
/// own limit in scripts/test.sh. Both are generous: when a parallel pass starts, hundreds of
/// tests boot at once and a boot can take a minute.
final class TestWatchdog: Sendable {
    /// What the test is doing now, and since when.
    private struct Step {
        var label: String
        var started: ContinuousClock.Instant
        var reported = false
        var aborted = false
    }

    private let steps = LockedValue<[Int: Step]>([:])
    private let nextID = LockedValue(0)
    private let watcher: Task<Void, Never>
    /// Says what the test's database is doing (one line each), once the application is up.
    let diagnostics = LockedValue<(@Sendable () async -> [String])?>(nil)

    /// A step this long gets reported (`STRATA_TEST_REPORT_AFTER`, in seconds).
    static let reportAfter: Duration = .seconds(Int64(ProcessInfo.processInfo.environment["STRATA_TEST_REPORT_AFTER"] ?? "") ?? 120)
    /// A step this long ends the process (`STRATA_TEST_ABORT_AFTER`, in seconds).
    static let abortAfter: Duration = .seconds(Int64(ProcessInfo.processInfo.environment["STRATA_TEST_ABORT_AFTER"] ?? "") ?? 600)

    /// `context` says which test this is (its project directory, say). `report` receives each
    /// line; `abort` ends the process.
    init(context: String, reportAfter: Duration = TestWatchdog.reportAfter, abortAfter: Duration = TestWatchdog.abortAfter,
         report: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
         abort: @escaping @Sendable (String) -> Void = { fatalError($0) }) {
        let steps = self.steps
        let diagnostics = self.diagnostics
        let interval = min(.seconds(5), reportAfter / 2)
        watcher = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let now = ContinuousClock.now
                // Each step is reported once, then aborted once (in a real run the abort ends the process).
                let late = steps.withLock { current -> [(label: String, elapsed: Duration, abort: Bool)] in
                    var late: [(label: String, elapsed: Duration, abort: Bool)] = []
                    for (id, step) in current {
                        let elapsed = now - step.started
                        let abort = elapsed >= abortAfter && !step.aborted
                        if abort || (elapsed >= reportAfter && !step.reported) {
                            late.append((step.label, elapsed, abort))
                            current[id]?.reported = true
                            if abort { current[id]?.aborted = true }
                        }
                    }
                    return late
                }
                for step in late {
                    if step.abort {
                        abort("TestStrata watchdog: \(step.label) is stuck (\(context))")
                    } else {
                        report("TestStrata watchdog: \(step.label) has not finished after \(step.elapsed.components.seconds) s (\(context))")
                        // Each line names its step and test: reports of parallel tests interleave.
                        for line in await diagnostics.withLock({ $0 })?() ?? [] {
                            report("TestStrata watchdog: \(step.label) (\(context)): \(line)")
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` as a watched step named `label`.
    func watch<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
        let id = nextID.withLock { value -> Int in
            value += 1
            return value
        }
        steps.withLock { $0[id] = Step(label: label, started: .now) }
        defer { steps.withLock { $0[id] = nil } }
        return try await body()
    }

    func stop() {
        watcher.cancel()
    }
}
