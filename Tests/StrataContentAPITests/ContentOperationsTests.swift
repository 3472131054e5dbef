import StrataCore
import StrataDatabase
import StrataDocuments
import StrataOperations
import StrataSchema
import StrataServer
import StrataTesting
import Testing

/// The transport-neutral operations, called directly as GraphQL and the admin API will call
/// them: scoped access decisions, the publication actions, and the caller reaching the
/// Document Service.
@Suite("Content operations")
struct ContentOperationsTests {
    /// Allows every action within a fixed scope, as an admin role with conditions and
    /// field-level permissions would; records which callers asked about related types.
    struct ScopedPolicy: AccessPolicy {
        let scope: AccessScope
        let deniedActions: Set<String>
        let relatedDecisions = LockedValue(0)

        func decide(_ caller: Caller, action: String) async throws -> AccessDecision {
            deniedActions.contains(action) ? .denied : .allowed(scope)
        }

        func cachedDecision(_ caller: Caller, action: String) -> AccessDecision? { nil }

        func readableTypes(_ caller: Caller) async throws -> OutputSanitizer.Readable? {
            relatedDecisions.withLock { $0 += 1 }
            return { $0.rawValue != "api::author.author" }
        }
    }

    static let caller = Caller(identity: .publicRole, origin: .admin)

    func operations(_ strata: TestStrata, _ policy: ScopedPolicy) -> ContentOperations {
        ContentOperations(documents: strata.app.documents, access: policy)
    }

    func articleType(_ strata: TestStrata) throws -> ContentType {
        try #require(strata.app.documents.registry.contentType(try UID("api::article.article")))
    }

    @Test("a scope's row filter and field set limit what is listed, counted, read and written")
    func scopedAccess() async throws {
        try await TestStrata.run(Blog.project) { strata, client in
            let seeded = try await Blog.seed(client, articles: 3)
            let type = try articleType(strata)
            let policy = ScopedPolicy(scope: AccessScope(rows: .equals("title", "Article 1"), fields: ["title"]), deniedActions: ["delete"])
            let operations = operations(strata, policy)

            let page = try await operations.find(type, action: "find", query: ["populate": "*"], caller: Self.caller)
            let listed = try #require(page.data.arrayValue)
            #expect(listed.count == 1)
            #expect(listed.first?["title"] == "Article 1")
            #expect(listed.first?["seo"] == nil && listed.first?["author"] == nil, "only the allowed attributes: \(page.data)")
            #expect(listed.first?["documentId"] != nil, "identity and timestamps stay")
            #expect(page.pagination["total"] == 1)
            #expect(try await operations.count(type, action: "find", query: [:], caller: Self.caller) == 1)

            // Outside the rows: as if the document did not exist, for reads and writes.
            await #expect(throws: NotFoundError.self) {
                _ = try await operations.findOne(type, action: "findOne", documentId: seeded.articles[0], query: [:], caller: Self.caller)
            }
            await #expect(throws: NotFoundError.self) {
                _ = try await operations.update(type, action: "update", documentId: seeded.articles[0], data: { ["title": "Taken"] }, query: [:], caller: Self.caller)
            }
            #expect(try await strata.app.documents(type.uid).findOne(documentId: seeded.articles[0])?["title"] == "Article 0")

            // Inside them, attributes outside the field set are dropped from the write.
            let updated = try await operations.update(type, action: "update", documentId: seeded.articles[1], data: { ["title": "Article 1", "seo": ["metaTitle": "changed"]] }, query: ["populate": "seo"], caller: Self.caller)
            #expect(updated["title"] == "Article 1")
            let stored = try await strata.app.documents(type.uid).findOne(documentId: seeded.articles[1], DocumentQuery(populate: try PopulateParser(metadata: strata.app.database.metadata).parse("seo", model: try #require(strata.app.database.metadata.model(type.uid)))))
            #expect(stored?["seo"]?["metaTitle"] == "SEO 1", "the seo component was not writable")

            // A denied action is a 403.
            await #expect(throws: ForbiddenError.self) {
                try await operations.delete(type, action: "delete", documentId: seeded.articles[1], query: [:], caller: Self.caller)
            }
        }
    }

    @Test("related types are decided once per operation, and only when the query or body reaches them")
    func relatedTypesDecidedOnce() async throws {
        try await TestStrata.run(Blog.project) { strata, client in
            let seeded = try await Blog.seed(client, articles: 1)
            let type = try articleType(strata)
            let policy = ScopedPolicy(scope: .everything, deniedActions: [])
            let operations = operations(strata, policy)

            _ = try await operations.find(type, action: "find", query: ["sort": "title"], caller: Self.caller)
            #expect(policy.relatedDecisions.value == 0, "a plain query needs no decision")
            _ = try await operations.find(type, action: "find", query: ["populate": "categories"], caller: Self.caller)
            #expect(policy.relatedDecisions.value == 1)
            await #expect(throws: ValidationError.self) {
                _ = try await operations.find(type, action: "find", query: ["populate": "author"], caller: Self.caller)
            }
            // Query and body both reach related types: still one decision. The unreadable
            // author link is dropped from the body, as Strapi's input sanitizer drops it.
            let before = policy.relatedDecisions.value
            let updated = try await operations.update(
                type, action: "update", documentId: seeded.articles[0],
                data: { ["author": .string(seeded.authors[1]), "categories": [.string(seeded.categories[2])]] },
                query: ["populate": "categories"], caller: Self.caller)
            #expect(policy.relatedDecisions.value == before + 1)
            #expect(updated["categories"]?.arrayValue?.count == 1)
            let author = try await client.get("/api/articles/\(seeded.articles[0])?populate=author")
            #expect(author.data?["author"]?["documentId"]?.stringValue == seeded.authors[0], "the author link was not changed")
        }
    }

    @Test("publish, unpublish and discardDraft answer the versions they wrote; the caller reaches document middlewares")
    func publicationAndCaller() async throws {
        try await TestStrata.run(Blog.project) { strata, _ in
            let type = try articleType(strata)
            let seen = LockedValue<[Caller.Origin]>([])
            strata.app.documents.use { context, next in
                if context.action.isWrite, let caller = Caller.current { seen.withLock { $0.append(caller.origin) } }
                return try await next(context)
            }
            let operations = operations(strata, ScopedPolicy(scope: .everything, deniedActions: []))
            let draft = try await operations.create(type, action: "create", data: { ["title": "Draft"] }, query: ["status": "draft"], caller: Self.caller)
            let documentId = try #require(draft["documentId"]?.stringValue)
            #expect(draft["publishedAt"] == .null)

            let published = try await operations.publication(.publish, type, action: "publish", documentId: documentId, query: [:], caller: Self.caller)
            #expect(published.count == 1)
            #expect(published.first?["publishedAt"] != .null)
            _ = try await operations.update(type, action: "update", documentId: documentId, data: { ["title": "Edited draft"] }, query: ["status": "draft"], caller: Self.caller)
            let discarded = try await operations.publication(.discardDraft, type, action: "discardDraft", documentId: documentId, query: [:], caller: Self.caller)
            #expect(discarded.first?["title"] == "Draft", "the draft is the published version again")
            let unpublished = try await operations.publication(.unpublish, type, action: "unpublish", documentId: documentId, query: [:], caller: Self.caller)
            #expect(unpublished.count == 1)
            #expect(try await strata.app.documents(type.uid).count(DocumentQuery(status: .published)) == 0)
            #expect(seen.value.count >= 5 && seen.value.allSatisfy { $0 == .admin }, "\(seen.value)")
        }
    }
}
