import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataCore

/// One request a webhook receiver got.
struct ReceivedCall: Sendable {
    var path: String
    /// Header values by lowercased name.
    var headers: [String: String]
    var body: JSONValue
}

/// A real HTTP server on 127.0.0.1 that records webhook calls. `POST /hook/<status>` answers
/// with that status (and the text `nope` when it is not 2xx).
final class WebhookReceiver: Sendable {
    let port: Int
    private let calls: LockedValue<[ReceivedCall]>
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>, calls: LockedValue<[ReceivedCall]>) {
        self.port = port
        self.group = group
        self.task = task
        self.calls = calls
    }

    func url(status: Int = 200) -> String { "http://127.0.0.1:\(port)/hook/\(status)" }

    static func start() async throws -> WebhookReceiver {
        let calls = LockedValue<[ReceivedCall]>([])
        let router = Router()
        router.post("/hook/:status") { request, context -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 22)
            /// Header values by lowercased name.
    var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let body = (try? JSONParser.parse(Array(buffer: bytes))) ?? .null
            calls.withLock { $0.append(ReceivedCall(path: request.uri.path, headers: headers, body: body)) }
            let status = Int(context.parameters.get("status") ?? "200") ?? 200
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: (200..<300).contains(status) ? "" : "nope")))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return WebhookReceiver(port: port, group: group, task: task, calls: calls)
    }

    /// Waits (up to five seconds) until at least `count` calls arrived, and returns every call.
    func waitForCalls(_ count: Int) async throws -> [ReceivedCall] {
        for _ in 0..<500 {
            let received = calls.value
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(10))
        }
        return calls.value
    }

    var received: [ReceivedCall] { calls.value }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
