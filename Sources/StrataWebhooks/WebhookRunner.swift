import AsyncHTTPClient
public import Logging
public import NIOCore
import NIOHTTP1
public import StrataCore
public import StrataDatabase

/// What one delivery got back: Strapi's `{statusCode}` on a 2xx answer, `{statusCode, message}`
/// with the response text otherwise, and `{statusCode: 500, message}` when the request failed.
public struct WebhookResponse: Sendable, Equatable {
    public var statusCode: Int
    public var message: String?

    public init(statusCode: Int, message: String? = nil) {
        self.statusCode = statusCode
        self.message = message
    }

    public var json: JSONValue {
        var object: JSONObject = ["statusCode": .int(Int64(statusCode))]
        if let message { object["message"] = .string(message) }
        return .object(object)
    }
}

/// Delivers webhook calls as Strapi's webhook runner does: `POST` of
/// `{event, createdAt, ...info}` with the configured default headers, the webhook's own headers,
/// `X-Strapi-Event` and `Content-Type: application/json`; a 10 s timeout and no retries (failures
/// are logged). Events queue up and at most five are delivered at once; the webhooks of one
/// event are called one after the other.
public final class WebhookRunner: Sendable {
    /// Headers sent with every call (`config/server.json` `webhooks.defaultHeaders`).
    public let defaultHeaders: [(name: String, value: String)]
    public let timeout: TimeAmount
    let clock: any WallClock
    let client: HTTPClient
    let logger: Logger
    private let jobs: AsyncStream<Job>.Continuation
    private let workers: Task<Void, Never>

    struct Job: Sendable {
        var event: String
        var info: JSONObject
        var webhooks: [Webhook]
    }

    public static let concurrency = 5

    public init(defaultHeaders: [(name: String, value: String)] = [], timeout: TimeAmount = .seconds(10),
                clock: any WallClock = SystemWallClock(), logger: Logger) {
        self.defaultHeaders = defaultHeaders
        self.clock = clock
        self.timeout = timeout
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // Strapi's fetch fails at once when nothing listens; no connection retries until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: timeout, read: timeout)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.client = client
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        self.jobs = continuation
        let deliver: @Sendable (Job) async -> Void = { [defaultHeaders, logger] job in
            for webhook in job.webhooks {
                let response = await Self.send(client: client, webhook: webhook, event: job.event, createdAt: clock.now(), info: job.info,
                                               defaultHeaders: defaultHeaders, timeout: timeout)
                if !(200..<300).contains(response.statusCode) {
                    logger.warning("webhook \(webhook.id) (\(webhook.name)) answered \(job.event) with \(response.statusCode): \(response.message ?? "")")
                }
            }
        }
        workers = Task {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await job in stream {
                    if running == Self.concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await deliver(job) }
                    running += 1
                }
            }
        }
    }

    /// Queues `event` for `webhooks`; returns at once.
    public func enqueue(event: String, info: JSONObject, webhooks: [Webhook]) {
        guard !webhooks.isEmpty else { return }
        jobs.yield(Job(event: event, info: info, webhooks: webhooks))
    }

    /// Calls one webhook now and returns what it answered (the admin panel's "trigger").
    public func call(_ webhook: Webhook, event: String, info: JSONObject = [:]) async -> WebhookResponse {
        await Self.send(client: client, webhook: webhook, event: event, createdAt: clock.now(), info: info,
                        defaultHeaders: defaultHeaders, timeout: timeout)
    }

    /// Delivers what is queued, then closes the HTTP client.
    public func shutdown() async {
        jobs.finish()
        await workers.value
        try? await client.shutdown()
    }

    static func send(client: HTTPClient, webhook: Webhook, event: String, createdAt: Timestamp, info: JSONObject,
                     defaultHeaders: [(name: String, value: String)], timeout: TimeAmount) async -> WebhookResponse {
        var body = JSONObject()
        body.appendUnique("event", .string(event))
        body.appendUnique("createdAt", .string(createdAt.iso8601))
        for (key, value) in info where key != "event" && key != "createdAt" { body[key] = value }
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        // Later headers win, as in Strapi's object spread: defaults, the webhook's, then ours.
        var headers: [(String, String)] = []
        func set(_ name: String, _ value: String) {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
        for header in defaultHeaders { set(header.name, header.value) }
        for header in webhook.headers { set(header.name, header.value) }
        set("X-Strapi-Event", event)
        set("Content-Type", "application/json")
        request.headers = HTTPHeaders(headers)
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.serialize(.object(body))))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let status = Int(response.status.code)
            if (200..<300).contains(status) {
                _ = try? await response.body.collect(upTo: 1 << 20)
                return WebhookResponse(statusCode: status)
            }
            let text = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
            return WebhookResponse(statusCode: status, message: text)
        } catch {
            return WebhookResponse(statusCode: 500, message: "\(error)")
        }
    }
}
