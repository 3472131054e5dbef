import StrataCore
@testable import StrataTesting
import Testing

/// The test harness's limit on simultaneous boots.
@Suite("Boot gate")
struct BootGateTests {
    struct Failure: Error {}

    @Test("no more bodies run at once than there are permits; every body runs, and a failing one gives its permit back")
    func limits() async throws {
        let gate = BootGate(permits: 2)
        let running = LockedValue(0)
        let most = LockedValue(0)
        let finished = LockedValue(0)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try? await gate.run {
                        let now = running.withLock { value -> Int in
                            value += 1
                            return value
                        }
                        most.withLock { $0 = max($0, now) }
                        try? await Task.sleep(for: .milliseconds(20))
                        running.withLock { $0 -= 1 }
                        finished.withLock { $0 += 1 }
                        if index % 3 == 0 { throw Failure() }
                    }
                }
            }
        }
        #expect(most.value == 2)
        #expect(finished.value == 8)
        // All permits are back: two more run side by side.
        let again = LockedValue(0)
        async let first: Void = gate.run { again.withLock { $0 += 1 }; try? await Task.sleep(for: .milliseconds(20)) }
        async let second: Void = gate.run { again.withLock { $0 += 1 }; try? await Task.sleep(for: .milliseconds(20)) }
        _ = await (first, second)
        #expect(again.value == 2)
    }
}
