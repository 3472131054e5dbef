public import NIOCore
public import StrataCore

/// Which connections' clients are gone, for ``RequestBudgetMiddleware``.
///
/// Hummingbird does not cancel a handler when its client disconnects; a ``ClientDisconnectHandler``
/// in each connection's pipeline reports the end of its input (the client closed its side) or of
/// the connection here, and every budget attached to it is abandoned.
public final class ConnectionMonitors: Sendable {
    private let monitors = LockedValue<[ObjectIdentifier: ConnectionMonitor]>([:])

    public init() {}

    /// The monitor of a connection, when its pipeline has a ``ClientDisconnectHandler``.
    public func monitor(for channel: any Channel) -> ConnectionMonitor? {
        monitors.withLock { $0[ObjectIdentifier(channel)] }
    }

    func register(_ monitor: ConnectionMonitor, for channel: any Channel) {
        monitors.withLock { $0[ObjectIdentifier(channel)] = monitor }
    }

    func remove(_ channel: any Channel) {
        _ = monitors.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// A handler for a new connection's pipeline.
    public func handler() -> ClientDisconnectHandler {
        ClientDisconnectHandler(monitors: self)
    }

    /// How many connections are watched (tests).
    public var count: Int { monitors.value.count }
}

/// One connection's state: its client's presence and the budgets of its requests in flight.
public final class ConnectionMonitor: Sendable {
    private let state = LockedValue<(gone: Bool, budgets: [RequestBudget])>((false, []))

    /// Adds a request's budget; abandoned at once if the client already left.
    public func attach(_ budget: RequestBudget) {
        let gone = state.withLock { state -> Bool in
            if !state.gone { state.budgets.append(budget) }
            return state.gone
        }
        if gone { budget.abandon() }
    }

    public func detach(_ budget: RequestBudget) {
        state.withLock { $0.budgets.removeAll { $0 === budget } }
    }

    /// The client is gone: every request of this connection is abandoned.
    public func clientLeft() {
        let budgets = state.withLock { state -> [RequestBudget] in
            state.gone = true
            defer { state.budgets.removeAll() }
            return state.budgets
        }
        for budget in budgets { budget.abandon() }
    }

    public var clientIsGone: Bool { state.value.gone }
}

/// Watches one connection: its input closing (the client closed the socket; the server allows
/// half-closure, so this arrives as an event, not as the channel closing) or the channel going
/// inactive means its client is gone.
public final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    let monitors: ConnectionMonitors
    let monitor = ConnectionMonitor()

    init(monitors: ConnectionMonitors) {
        self.monitors = monitors
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        monitors.register(monitor, for: context.channel)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        monitors.remove(context.channel)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        monitor.clientLeft()
        monitors.remove(context.channel)
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { monitor.clientLeft() }
        context.fireUserInboundEventTriggered(event)
    }
}
