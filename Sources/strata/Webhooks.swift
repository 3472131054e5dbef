import ArgumentParser
import Foundation
import StrataCore
import StrataDatabase
import StrataServer
import StrataWebhooks

/// A validation error as one line per failing field.
private func validationFailure(_ error: StrataCore.ValidationError) -> ExitCode {
    let messages = error.details["errors"]?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []
    return ExitCode.fail(messages.isEmpty ? error.message : messages.joined(separator: "; "))
}

/// The webhook with `id`, or a one-line error naming it.
private func existing(_ id: Int64, in app: StrataApplication) async throws -> Webhook {
    guard let webhook = try await app.webhooks.findOne(id: id) else { throw ExitCode.fail("No webhook with id \(id) (see `strata webhooks:list`)") }
    return webhook
}

struct WebhooksList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhooks:list", abstract: "List the project's webhooks.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON (Strapi's admin API shape) instead of text.")
    var json = false

    func run() async throws {
        let webhooks = try await ProjectSession.withApplication(options) { app in try await app.webhooks.findMany() }
        if json {
            print(JSONWriter.prettyString(.array(webhooks.map(\.json))))
            return
        }
        if webhooks.isEmpty { print("No webhooks.") }
        for webhook in webhooks {
            print("\(webhook.id)  \(webhook.name)  \(webhook.url)  \(webhook.isEnabled ? "enabled" : "disabled")  \(webhook.events.joined(separator: ","))")
        }
    }
}

struct WebhooksCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks:create",
        abstract: "Create a webhook, e.g. `webhooks:create --name deploy --url https://ci.example.com/hook --events entry.publish,entry.unpublish`.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "A name for the webhook.")
    var name: String

    @Option(help: "The URL it POSTs to.")
    var url: String

    @Option(help: "Comma-separated events: \(WebhookService.events.joined(separator: ", ")).")
    var events: String

    @Option(name: .customLong("header"), help: "A header to send, `Name: value` (repeatable).")
    var headers: [String] = []

    @Flag(help: "Create it disabled.")
    var disabled = false

    func run() async throws {
        let webhook = Webhook(name: name, url: url, headers: try parseHeaders(headers), events: parseEvents(events), isEnabled: !disabled)
        do {
            try WebhookService.validate(webhook)
        } catch let error as StrataCore.ValidationError {
            throw validationFailure(error)
        }
        let created = try await ProjectSession.withApplication(options) { app in try await app.webhooks.create(webhook) }
        print("Created webhook \(created.id) (\(created.name)).")
    }
}

/// `Name: value` header options.
private func parseHeaders(_ headers: [String]) throws -> [(name: String, value: String)] {
    try headers.map { header in
        guard let colon = header.firstIndex(of: ":") else { throw ExitCode.fail("--header \(header): expected `Name: value`") }
        return (String(header[..<colon]).trimmingCharacters(in: .whitespaces), String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}

/// A comma-separated event list.
private func parseEvents(_ events: String) -> [String] {
    events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

struct WebhooksUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks:update", abstract: "Change a webhook: any of its name, URL, events or headers, or enable/disable it.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The webhook id.")
    var id: Int64

    @Option(help: "A new name.")
    var name: String?

    @Option(help: "A new URL.")
    var url: String?

    @Option(help: "The events, comma-separated (replaces the list).")
    var events: String?

    @Option(name: .customLong("header"), help: "A header, `Name: value` (repeatable; replaces the headers).")
    var headers: [String] = []

    @Flag(help: "Remove every header.")
    var clearHeaders = false

    @Flag(help: "Turn the webhook on.")
    var enable = false

    @Flag(help: "Turn the webhook off.")
    var disable = false

    func run() async throws {
        guard !(enable && disable) else { throw ExitCode.fail("--enable and --disable exclude each other") }
        let newHeaders = try parseHeaders(headers)
        try await ProjectSession.withApplication(options) { app in
            var webhook = try await existing(id, in: app)
            if let name { webhook.name = name }
            if let url { webhook.url = url }
            if let events { webhook.events = parseEvents(events) }
            if clearHeaders { webhook.headers = [] }
            if !newHeaders.isEmpty { webhook.headers = newHeaders }
            if enable || disable { webhook.isEnabled = enable }
            do {
                try WebhookService.validate(webhook)
            } catch let error as StrataCore.ValidationError {
                throw validationFailure(error)
            }
            _ = try await app.webhooks.update(webhook)
        }
        print("Updated webhook \(id).")
    }
}

struct WebhooksDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhooks:delete", abstract: "Delete webhooks by id.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "Webhook ids (see webhooks:list).")
    var ids: [Int64]

    func run() async throws {
        try await ProjectSession.withApplication(options) { app in
            for id in ids { _ = try await existing(id, in: app) }
            for id in ids { _ = try await app.webhooks.delete(id: id) }
        }
        print("Deleted webhook\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")).")
    }
}

struct WebhooksTrigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks:trigger", abstract: "Send a webhook Strapi's `trigger-test` event now and print its answer.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The webhook id.")
    var id: Int64

    func run() async throws {
        let response = try await ProjectSession.withApplication(options) { app in
            try await app.webhooks.trigger(id: try await existing(id, in: app).id)
        }
        print(JSONWriter.string(response.json))
        if !(200..<300).contains(response.statusCode) { throw ExitCode.failure }
    }
}
