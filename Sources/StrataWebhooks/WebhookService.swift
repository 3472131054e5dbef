import Foundation
public import Logging
import StrataCore
public import StrataDatabase
public import StrataDocuments
import StrataUpload

/// Webhooks as in Strapi: stored in `strapi_webhooks`, validated as the admin API validates them,
/// and called after every document or Media Library event they subscribe to.
///
/// The store is read on each event, so every instance sharing a database sees a change at once.
public final class WebhookService: Sendable {
    /// The events a webhook may subscribe to (Strapi's core and upload events).
    public static let events: [String] = DocumentEvent.Kind.allCases.map(\.rawValue) + MediaEvent.Kind.allCases.map(\.rawValue)

    public let store: WebhookStore
    public let runner: WebhookRunner
    let documents: DocumentService
    let sanitizer: OutputSanitizer
    let logger: Logger

    public init(documents: DocumentService, runner: WebhookRunner, privateAttributes: [String] = [], logger: Logger) {
        self.documents = documents
        self.store = WebhookStore(client: documents.database.client)
        self.runner = runner
        self.sanitizer = OutputSanitizer(registry: documents.registry, globalPrivateAttributes: privateAttributes)
        self.logger = logger
    }

    public func findMany() async throws -> [Webhook] {
        try await store.findMany()
    }

    public func findOne(id: Int64) async throws -> Webhook? {
        try await store.findOne(id: id)
    }

    /// Validates and stores a new webhook.
    public func create(_ webhook: Webhook) async throws -> Webhook {
        try Self.validate(webhook)
        return try await store.create(webhook)
    }

    /// Validates and replaces webhook `webhook.id`; `NotFoundError` when there is none.
    public func update(_ webhook: Webhook) async throws -> Webhook {
        try Self.validate(webhook)
        guard let updated = try await store.update(webhook) else { throw NotFoundError("webhook.notFound") }
        return updated
    }

    /// Deletes webhook `id` and returns it; `NotFoundError` when there is none.
    public func delete(id: Int64) async throws -> Webhook {
        guard let deleted = try await store.delete(id: id) else { throw NotFoundError("webhook.notFound") }
        return deleted
    }

    /// Calls webhook `id` now with Strapi's `trigger-test` event and returns its answer.
    public func trigger(id: Int64) async throws -> WebhookResponse {
        guard let webhook = try await store.findOne(id: id) else { throw NotFoundError("webhook.notFound") }
        return await runner.call(webhook, event: "trigger-test")
    }

    /// Strapi's admin validation: a name, an http(s) URL, string headers, known events.
    public static func validate(_ webhook: Webhook) throws {
        var errors: [ValidationError.FieldError] = []
        if webhook.name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(.init(path: ["name"], message: "name is a required field"))
        }
        if !isValidURL(webhook.url) {
            errors.append(.init(path: ["url"], message: "url must be a valid URL"))
        }
        for (index, header) in webhook.headers.enumerated() where !isToken(header.name) || header.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            errors.append(.init(path: ["headers", String(index)], message: "header \(header.name) is not a valid HTTP header"))
        }
        if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
        if let unknown = webhook.events.first(where: { !events.contains($0) }) {
            throw ValidationError("Webhook event \(unknown) is not supported")
        }
    }

    static func isValidURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return !text.contains(where: \.isWhitespace)
    }

    /// An HTTP header name (RFC 9110 token).
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
