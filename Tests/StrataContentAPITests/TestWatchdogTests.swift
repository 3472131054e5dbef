import StrataCore
@testable import StrataTesting
import Testing

/// The test harness's hang detector: a hanging step must be named, then end the run. Each slow
/// step lasts until the watchdog has spoken (or 30 s), so a loaded machine cannot fail these.
@Suite("Test watchdog")
struct TestWatchdogTests {
    @Test("a step that outlives the report limit is reported once; finished steps are not")
    func reports() async throws {
        let lines = LockedValue<[String]>([])
        let watchdog = TestWatchdog(context: "unit", reportAfter: .milliseconds(100), abortAfter: .seconds(3600),
                                    report: { line in lines.withLock { $0.append(line) } },
                                    abort: { line in Issue.record("aborted: \(line)") })
        defer { watchdog.stop() }
        watchdog.statements.withLock { $0 = { 42 } }
        await watchdog.watch("quick") {}
        await watchdog.watch("GET /api/slow") {
            await Self.wait { !lines.withLock { $0 }.isEmpty }
            // Several more polls: still one line.
            try? await Task.sleep(for: .milliseconds(300))
        }
        let reported = lines.withLock { $0 }
        #expect(reported.count == 1, "\(reported)")
        #expect(reported.first?.hasPrefix("TestStrata watchdog: GET /api/slow has not finished after ") == true, "\(reported)")
        #expect(reported.first?.hasSuffix(" s (unit, 42 SQL statements so far)") == true, "\(reported)")
    }

    @Test("a step that outlives the abort limit ends the run once")
    func aborts() async throws {
        let aborts = LockedValue<[String]>([])
        let watchdog = TestWatchdog(context: "unit", reportAfter: .milliseconds(50), abortAfter: .milliseconds(100),
                                    report: { _ in }, abort: { line in aborts.withLock { $0.append(line) } })
        defer { watchdog.stop() }
        await watchdog.watch("shutdown") {
            await Self.wait { !aborts.withLock { $0 }.isEmpty }
            try? await Task.sleep(for: .milliseconds(300))
        }
        #expect(aborts.withLock { $0 } == ["TestStrata watchdog: shutdown is stuck (unit)"])
    }

    static func wait(until condition: @Sendable () -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
