import StrataCore
@testable import StrataTesting
import Testing

/// The test harness's hang detector: a hanging step must be named, then end the run.
@Suite("Test watchdog")
struct TestWatchdogTests {
    @Test("a step that outlives its limits is reported once, then aborted; finished steps are not")
    func reportsAndAborts() async throws {
        let lines = LockedValue<[String]>([])
        let aborts = LockedValue<[String]>([])
        let watchdog = TestWatchdog(context: "unit", reportAfter: .milliseconds(100), abortAfter: .milliseconds(600),
                                    report: { line in lines.withLock { $0.append(line) } },
                                    abort: { line in aborts.withLock { $0.append(line) } })
        defer { watchdog.stop() }
        watchdog.statements.withLock { $0 = { 42 } }
        await watchdog.watch("quick") {}
        // Each slow step lasts until the watchdog has spoken (or 20 s): no timing assumption.
        await watchdog.watch("GET /api/slow") {
            await Self.wait { lines.withLock { !$0.isEmpty } }
            try? await Task.sleep(for: .milliseconds(150))
        }
        let reported = lines.withLock { $0 }
        #expect(reported.count == 1, "\(reported)")
        #expect(reported.first?.hasPrefix("TestStrata watchdog: GET /api/slow has not finished after ") == true, "\(reported)")
        #expect(reported.first?.hasSuffix(" s (unit, 42 SQL statements so far)") == true, "\(reported)")
        #expect(aborts.withLock { $0 }.isEmpty)

        await watchdog.watch("shutdown") {
            await Self.wait { !aborts.withLock { $0 }.isEmpty }
        }
        #expect(aborts.withLock { $0 }.first == "TestStrata watchdog: shutdown is stuck (unit)")
        #expect(lines.withLock { $0 }.contains { $0.contains("quick") } == false)
    }

    static func wait(until condition: @Sendable () -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
