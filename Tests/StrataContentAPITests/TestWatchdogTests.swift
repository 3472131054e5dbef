import StrataCore
import StrataTestDatabase
@testable import StrataTesting
import Testing

/// The test harness's hang detector: a hanging step must be named, then end the run. Each slow
/// step lasts until the watchdog has spoken (or 60 s), so a loaded machine cannot fail these.
@Suite("Test watchdog")
struct TestWatchdogTests {
    @Test("a step that outlives the report limit is reported once; finished steps are not")
    func reports() async throws {
        let lines = LockedValue<[String]>([])
        let watchdog = TestWatchdog(context: "unit", reportAfter: .milliseconds(100), abortAfter: .seconds(3600),
                                    report: { line in lines.withLock { $0.append(line) } },
                                    abort: { line in Issue.record("aborted: \(line)") })
        defer { watchdog.stop() }
        watchdog.diagnostics.withLock { $0 = { ["database: 42 SQL statements so far", "postgres: session 7: active"] } }
        await watchdog.watch("quick") {}
        await watchdog.watch("GET /api/slow") {
            await waitUntil { lines.withLock { $0 }.count >= 3 }
            // Several more polls: still one line.
            try? await Task.sleep(for: .milliseconds(300))
        }
        let reported = lines.withLock { $0 }
        #expect(reported.count == 3, "one report, with the diagnostics under it: \(reported)")
        #expect(reported.first?.hasPrefix("TestStrata watchdog: GET /api/slow has not finished after ") == true, "\(reported)")
        #expect(reported.first?.hasSuffix(" s (unit)") == true, "\(reported)")
        #expect(Array(reported.dropFirst()) == [
            "TestStrata watchdog: GET /api/slow (unit): database: 42 SQL statements so far",
            "TestStrata watchdog: GET /api/slow (unit): postgres: session 7: active",
        ])
    }

    @Test("a step that outlives the abort limit ends the run once")
    func aborts() async throws {
        let aborts = LockedValue<[String]>([])
        let watchdog = TestWatchdog(context: "unit", reportAfter: .milliseconds(50), abortAfter: .milliseconds(100),
                                    report: { _ in }, abort: { line in aborts.withLock { $0.append(line) } })
        defer { watchdog.stop() }
        await watchdog.watch("shutdown") {
            await waitUntil { !aborts.withLock { $0 }.isEmpty }
            try? await Task.sleep(for: .milliseconds(300))
        }
        #expect(aborts.withLock { $0 } == ["TestStrata watchdog: shutdown is stuck (unit)"])
    }

    @Test("a booted test instance describes its database: the client's activity, and on Postgres the server's sessions")
    func diagnosticsOfABootedInstance() async throws {
        let strata = try await TestStrata.boot(TestProject())
        _ = try await strata.test { client in try await client.get("/api/not-a-type") }
        let describe = try #require(strata.watchdog.diagnostics.withLock { $0 })
        let lines = await describe()
        #expect(lines.first?.hasPrefix("database: ") == true, "\(lines)")
        #expect(lines.first?.hasSuffix(" SQL statements so far, 0 running, 0 connections held, 0 transactions open") == true, "\(lines)")
        if TestDatabase.isPostgres {
            #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.hasPrefix("postgres: session ") }, "the pool's idle sessions: \(lines)")
        } else {
            #expect(lines.count == 1, "\(lines)")
        }
        try await strata.shutdown()
    }
}
