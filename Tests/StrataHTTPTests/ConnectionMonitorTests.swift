import NIOCore
import NIOEmbedded
import StrataCore
import Testing
@testable import StrataHTTP

/// Clients that leave mid-request: the pipeline handler's events reach the requests' budgets.
@Suite("Connection monitors")
struct ConnectionMonitorTests {
    @Test("the input closing (client closed its socket) abandons the connection's requests, and later ones at once")
    func inputClosed() throws {
        let monitors = ConnectionMonitors()
        let channel = EmbeddedChannel(handler: monitors.handler())
        let monitor = try #require(monitors.monitor(for: channel))
        let running = RequestBudget(limit: nil)
        monitor.attach(running)
        let finished = RequestBudget(limit: nil)
        monitor.attach(finished)
        monitor.detach(finished)
        #expect(!running.isAbandoned)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(running.isAbandoned)
        #expect(!finished.isAbandoned, "a finished request is no longer attached")
        let late = RequestBudget(limit: nil)
        monitor.attach(late)
        #expect(late.isAbandoned)
        _ = try channel.finish()
    }

    @Test("a closed connection abandons its requests and is forgotten")
    func inactive() throws {
        let monitors = ConnectionMonitors()
        let channel = EmbeddedChannel(handler: monitors.handler())
        let budget = RequestBudget(limit: nil)
        try #require(monitors.monitor(for: channel)).attach(budget)
        #expect(monitors.count == 1)
        channel.pipeline.fireChannelInactive()
        #expect(budget.isAbandoned)
        #expect(monitors.count == 0)
        _ = try? channel.finish()
    }

    @Test("a budget past its deadline reports a 503 naming the limit")
    func deadline() {
        let budget = RequestBudget(limit: .milliseconds(1500), now: .now - .seconds(2))
        #expect(budget.isSpent)
        let error = budget.failure as? ServiceUnavailableError
        #expect(error?.status == 503)
        #expect(error?.message == "The request took longer than 1500 ms and was stopped")
        #expect(RequestBudget(limit: nil).failure == nil)
    }
}
