import Foundation
import StrataCore
import StrataDatabase
import StrataDocuments
import StrataServer
import HTTPTypes
import StrataTesting
import StrataWebhooks
import Testing

@Suite("Webhooks")
struct WebhookTests {
    static let project = TestProject(
        contentTypes: [
            ("api::article.article", TestProject.collectionType("article", draftAndPublish: true, attributes: [
                "title": ["type": "string"],
                "secret": ["type": "string", "private": true],
                "author": ["type": "relation", "relation": "manyToOne", "target": "api::author.author", "inversedBy": "articles"],
                "seo": ["type": "component", "component": "shared.seo"],
                "blocks": ["type": "dynamiczone", "components": ["shared.hero"]],
                "cover": ["type": "media", "multiple": false],
            ])),
            ("api::author.author", TestProject.collectionType("author", attributes: [
                "name": ["type": "string"],
                "articles": ["type": "relation", "relation": "oneToMany", "target": "api::article.article", "mappedBy": "author"],
            ])),
        ],
        components: [
            ("shared.seo", ["collectionName": "components_shared_seos", "attributes": ["metaTitle": ["type": "string"]]]),
            ("shared.link", ["collectionName": "components_shared_links", "attributes": ["url": ["type": "string"]]]),
            ("shared.hero", ["collectionName": "components_shared_heroes", "attributes": [
                "heading": ["type": "string"], "cta": ["type": "component", "component": "shared.link"],
            ]]),
        ],
        config: ["server": ["webhooks": ["defaultHeaders": ["Authorization": "Bearer default", "X-Default": "yes"]]]]
    )

    func withReceiver(_ body: @escaping @Sendable (TestStrata, StrataClient, WebhookReceiver) async throws -> Void) async throws {
        let receiver = try await WebhookReceiver.start()
        do {
            try await TestStrata.run(Self.project) { strata, client in try await body(strata, client, receiver) }
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    @Test("entry events POST {event, createdAt, model, uid, entry} deep-populated and sanitized, with Strapi's headers")
    func entryEvents() async throws {
        try await withReceiver { strata, client, receiver in
            _ = try await strata.app.webhooks.create(Webhook(
                name: "all", url: receiver.url(), headers: [("Authorization", "Bearer mine"), ("X-Custom", "1")],
                events: ["entry.create", "entry.update", "entry.publish", "entry.unpublish", "entry.delete"]))
            let author = try #require(try await client.post("/api/authors", json: ["data": ["name": "Ann"]]).data)
            let created = try await client.post("/api/articles", json: ["data": [
                "title": "Hello", "secret": "hidden", "author": author["documentId"] ?? .null,
                "seo": ["metaTitle": "SEO"],
                "blocks": [["__component": "shared.hero", "heading": "Hi", "cta": ["url": "/go"]]],
            ]])
            #expect(created.status == 201, "\(created.text)")
            let documentId = try #require(created.data?["documentId"]?.stringValue)
            // REST writes of a Draft & Publish type publish too (Strapi 5's default status).
            // Up to five events are delivered at once (as in Strapi), so calls may arrive in any order.
            let calls = try await receiver.waitForCalls(3)
            #expect(Set(calls.compactMap { $0.body["event"]?.stringValue }) == ["entry.create", "entry.publish"])
            #expect(calls.filter { $0.body["model"] == "author" }.map { $0.body["event"] } == ["entry.create"])
            let call = try #require(calls.first { $0.body["event"] == "entry.create" && $0.body["model"] == "article" })
            let published = try #require(calls.first { $0.body["event"] == "entry.publish" })
            #expect(call.headers["x-strapi-event"] == "entry.create")
            #expect(call.headers["content-type"] == "application/json")
            #expect(call.headers["authorization"] == "Bearer mine", "the webhook's headers win over the defaults")
            #expect(call.headers["x-default"] == "yes")
            #expect(call.headers["x-custom"] == "1")
            #expect(call.body["model"] == "article")
            #expect(call.body["uid"] == "api::article.article")
            #expect(call.body["createdAt"]?.stringValue.flatMap(Timestamp.init(iso8601:)) != nil)
            let entry = try #require(call.body["entry"])
            #expect(entry["title"] == "Hello")
            #expect(entry["documentId"]?.stringValue == documentId)
            #expect(entry["secret"] == nil, "private fields are not sent")
            #expect(entry["author"]?["name"] == "Ann", "relations are populated one level")
            #expect(entry["seo"]?["metaTitle"] == "SEO")
            #expect(entry["blocks"]?[0]?["__component"] == "shared.hero")
            #expect(entry["blocks"]?[0]?["cta"]?["url"] == "/go", "components are populated all the way down")
            #expect(entry["cover"] == .null)
            #expect(entry["publishedAt"] == .null, "entry.create carries the draft")
            #expect(published.body["entry"]?["publishedAt"]?.stringValue != nil, "entry.publish carries the published version")
            #expect(published.body["entry"]?["author"]?["name"] == "Ann")

            _ = try await client.put("/api/articles/\(documentId)", json: ["data": ["title": "Changed"]])
            let afterUpdate = try await receiver.waitForCalls(5)
            let update = try #require(afterUpdate[3...].first { $0.body["event"] == "entry.update" })
            #expect(afterUpdate[3...].filter { $0.body["event"] == "entry.publish" }.count == 1)
            #expect(update.body["entry"]?["title"] == "Changed")

            #expect(try await client.delete("/api/articles/\(documentId)").status == 204)
            let afterDelete = try await receiver.waitForCalls(6)
            let deletes = afterDelete[5...].filter { $0.body["event"] == "entry.delete" }
            #expect(!deletes.isEmpty)
            #expect(deletes.allSatisfy { $0.body["entry"]?["documentId"]?.stringValue == documentId && $0.body["entry"]?["secret"] == nil })
        }
    }

    @Test("publish, unpublish and discard draft through the Document Service; subscriptions and the enabled flag are honoured")
    func publicationAndFiltering() async throws {
        try await withReceiver { strata, _, receiver in
            _ = try await strata.app.webhooks.create(Webhook(name: "publish", url: receiver.url(), events: ["entry.publish", "entry.unpublish", "entry.draft-discard"]))
            _ = try await strata.app.webhooks.create(Webhook(name: "off", url: receiver.url(status: 201), events: ["entry.publish"], isEnabled: false))
            let articles = try strata.app.documents(try UID("api::article.article"))
            let draft = try await articles.create(data: ["title": "Draft"])
            let documentId = try #require(draft["documentId"]?.stringValue)
            _ = try await articles.publish(documentId: documentId)
            let published = try await receiver.waitForCalls(1)
            _ = try await articles.unpublish(documentId: documentId)
            _ = try await receiver.waitForCalls(2)
            _ = try await articles.publish(documentId: documentId)
            _ = try await receiver.waitForCalls(3)
            _ = try await articles.update(documentId: documentId, data: ["title": "Edited draft"])
            _ = try await articles.discardDraft(documentId: documentId)
            let calls = try await receiver.waitForCalls(4)
            try await Task.sleep(for: .milliseconds(200))
            #expect(receiver.received.count == 4, "no entry.create or entry.update subscription, and the disabled webhook stays silent")
            #expect(calls.map { $0.body["event"] } == ["entry.publish", "entry.unpublish", "entry.publish", "entry.draft-discard"])
            #expect(calls.allSatisfy { $0.path == "/hook/200" })
            #expect(published[0].body["entry"]?["publishedAt"]?.stringValue != nil, "entry.publish carries the published version")
            #expect(calls[1].body["entry"]?["documentId"]?.stringValue == documentId)
            #expect(calls[3].body["entry"]?["title"] == "Draft", "the discarded draft is replaced by the published version")
        }
    }

    @Test("a write that rolls back sends nothing")
    func rolledBack() async throws {
        try await withReceiver { strata, _, receiver in
            _ = try await strata.app.webhooks.create(Webhook(name: "create", url: receiver.url(), events: ["entry.create"]))
            struct Refused: Error {}
            strata.app.documents.use { context, next in
                let result = try await next(context)
                if context.action == .create { throw Refused() }
                return result
            }
            let articles = try strata.app.documents(try UID("api::article.article"))
            await #expect(throws: Refused.self) { _ = try await articles.create(data: ["title": "Nope"]) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.received.isEmpty)
        }
    }

    @Test("media events carry the sanitized file")
    func mediaEvents() async throws {
        try await withReceiver { strata, client, receiver in
            _ = try await strata.app.webhooks.create(Webhook(name: "media", url: receiver.url(), events: ["media.create", "media.update", "media.delete"]))
            var form = MultipartBody()
            form.file(filename: "notes.txt", contentType: "text/plain", bytes: Array("hello".utf8))
            let upload = try await client.send(.post, "/api/upload", multipart: form)
            #expect(upload.status == 201, "\(upload.text)")
            let id = try #require(upload.json?[0]?["id"]?.intValue)
            var info = MultipartBody()
            info.field("fileInfo", #"{"caption":"new"}"#)
            _ = try await client.send(.post, "/api/upload?id=\(id)", multipart: info)
            #expect(try await client.delete("/api/upload/files/\(id)").status == 200)
            // Up to five events are delivered at once (as in Strapi), so calls may arrive in any order.
            let calls = try await receiver.waitForCalls(3)
            #expect(calls.compactMap { $0.body["event"]?.stringValue }.sorted() == ["media.create", "media.delete", "media.update"])
            let created = try #require(calls.first { $0.body["event"] == "media.create" })
            let updated = try #require(calls.first { $0.body["event"] == "media.update" })
            #expect(created.body["media"]?["name"] == "notes.txt")
            #expect(created.body["media"]?["folderPath"] == nil, "private file fields are not sent")
            #expect(updated.body["media"]?["caption"] == "new")
            #expect(created.body["model"] == nil)
        }
    }

    @Test("trigger sends trigger-test and reports the answer; failures become statusCode 500 with the reason")
    func trigger() async throws {
        try await withReceiver { strata, _, receiver in
            let ok = try await strata.app.webhooks.create(Webhook(name: "ok", url: receiver.url(), events: []))
            let failing = try await strata.app.webhooks.create(Webhook(name: "failing", url: receiver.url(status: 503), events: []))
            let unreachable = try await strata.app.webhooks.create(Webhook(name: "down", url: "http://127.0.0.1:1/hook", events: []))
            #expect(try await strata.app.webhooks.trigger(id: ok.id) == WebhookResponse(statusCode: 200))
            #expect(try await strata.app.webhooks.trigger(id: failing.id) == WebhookResponse(statusCode: 503, message: "nope"))
            let down = try await strata.app.webhooks.trigger(id: unreachable.id)
            #expect(down.statusCode == 500)
            #expect(down.message?.isEmpty == false)
            #expect(receiver.received.first?.body == ["event": "trigger-test", "createdAt": receiver.received.first?.body["createdAt"] ?? .null])
            await #expect(throws: NotFoundError.self) { _ = try await strata.app.webhooks.trigger(id: 999) }
        }
    }

    @Test("validation as Strapi's admin API: name, URL, headers, known events")
    func validation() async throws {
        try await TestStrata.run(Self.project) { strata, _ in
            let webhooks = strata.app.webhooks
            func message(_ webhook: Webhook) async -> String? {
                do {
                    _ = try await webhooks.create(webhook)
                    return nil
                } catch let error as ValidationError {
                    return error.message
                } catch {
                    return "\(error)"
                }
            }
            #expect(await message(Webhook(name: "x", url: "https://example.com/h", events: ["entry.create", "nope"])) == "Webhook event nope is not supported")
            #expect(await message(Webhook(name: "x", url: "ftp://example.com", events: [])) == "url must be a valid URL")
            #expect(await message(Webhook(name: "x", url: "not a url", events: [])) == "url must be a valid URL")
            #expect(await message(Webhook(name: "", url: "https://example.com", events: [])) == "name is a required field")
            #expect(await message(Webhook(name: "x", url: "https://example.com", headers: [("Bad\nName", "v")], events: [])) == "header Bad\nName is not a valid HTTP header")
            #expect(await message(Webhook(name: "x", url: "https://example.com", headers: [("X-Ok", "line\r\nInjected: 1")], events: [])) != nil)
            #expect(try await webhooks.findMany().isEmpty, "nothing invalid was stored")

            var stored = try await webhooks.create(Webhook(name: "deploy", url: "https://ci.example.com/hook", headers: [("X-Token", "t")], events: ["entry.publish"]))
            #expect(stored.json == ["id": .string(String(stored.id)), "name": "deploy", "url": "https://ci.example.com/hook",
                                    "headers": ["X-Token": "t"], "events": ["entry.publish"], "isEnabled": true])
            stored.isEnabled = false
            stored.events = ["entry.publish", "media.delete"]
            #expect(try await webhooks.update(stored) == stored)
            #expect(try await webhooks.findOne(id: stored.id) == stored)
            #expect(try await webhooks.delete(id: stored.id) == stored)
            await #expect(throws: NotFoundError.self) { _ = try await webhooks.delete(id: stored.id) }
            await #expect(throws: NotFoundError.self) { _ = try await webhooks.update(stored) }
        }
    }
}
