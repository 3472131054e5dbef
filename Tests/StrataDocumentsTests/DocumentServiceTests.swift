import HummingbirdBcrypt
import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL
import StrataTestDatabase
import Testing
@testable import StrataDocuments

/// Sequential ids and a stepping clock keep documents predictable.
final class Counter: DocumentIDGenerator {
    let count = LockedValue(0)
    func next() -> String {
        let value = count.withLock { $0 += 1; return $0 }
        return String(repeating: "d", count: 24 - String(value).count) + String(value)
    }
}

struct FixedClock: WallClock {
    func now() -> Timestamp { Timestamp(iso8601: "2024-03-06T13:42:05.098Z")! }
}

func makeService(_ schema: String, uid: String = "api::article.article") async throws -> (DocumentService, DocumentRepository) {
    let type = try SchemaParser().contentType(uid: try UID(uid), json: try JSONParser.parse(schema))
    let registry = try SchemaRegistry(contentTypes: [type], components: [])
    let driver = try await TestDatabase.driver()
    let database = Database(client: DatabaseClient(driver: driver), metadata: try StorageMetadata(registry: registry))
    try await database.synchronizeSchema()
    let service = DocumentService(database: database, documentIDs: Counter(), clock: FixedClock())
    return (service, try service(try UID(uid)))
}

let articleSchema = #"""
{"collectionName":"articles","info":{"singularName":"article","pluralName":"articles"},"options":{"draftAndPublish":true},
 "attributes":{
   "title":{"type":"string","required":true,"maxLength":20,"minLength":2},
   "slug":{"type":"uid","targetField":"title"},
   "code":{"type":"string","unique":true},
   "kind":{"type":"enumeration","enum":["news","blog"],"default":"news"},
   "contact":{"type":"email"},
   "secret":{"type":"password"},
   "hidden":{"type":"string","private":true},
   "views":{"type":"integer","min":0,"max":1000}}}
"""#

@Suite("Document Service: draft and publish rows")
struct DraftAndPublishTests {
    @Test("create defaults to a draft; status published adds the published row")
    func create() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let draft = try await articles.create(data: ["title": "Draft only"])
        #expect(draft["publishedAt"] == .null)
        #expect(draft["kind"] == "news", "defaults apply on create")
        #expect(try await articles.count() == 1)
        #expect(try await articles.count(DocumentQuery(status: .published)) == 0)

        let published = try await articles.create(data: ["title": "Live"], WriteOptions(status: .published))
        #expect(published["publishedAt"] == "2024-03-06T13:42:05.098Z")
        let documentId = try #require(published["documentId"]?.stringValue)
        let versions = try await articles.entities.findMany(EntityQuery(filter: .equals("documentId", .string(documentId))))
        #expect(versions.count == 2, "one draft row and one published row")
        #expect(versions.map { $0["publishedAt"] == .null } == [true, false])
    }

    @Test("updating the draft leaves the published version until it is published again")
    func update() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let created = try await articles.create(data: ["title": "One"], WriteOptions(status: .published))
        let documentId = try #require(created["documentId"]?.stringValue)
        _ = try await articles.update(documentId: documentId, data: ["title": "Two"])
        #expect(try await articles.findOne(documentId: documentId, DocumentQuery(status: .published))?["title"] == "One")
        #expect(try await articles.findOne(documentId: documentId)?["title"] == "Two")
        _ = try await articles.update(documentId: documentId, data: [:], WriteOptions(status: .published))
        #expect(try await articles.findOne(documentId: documentId, DocumentQuery(status: .published))?["title"] == "Two")
        #expect(try await articles.count(DocumentQuery(status: .published)) == 1)
    }

    @Test("update and findOne of a missing document give nil")
    func missing() async throws {
        let (_, articles) = try await makeService(articleSchema)
        #expect(try await articles.update(documentId: "nope", data: ["title": "x"]) == nil)
        #expect(try await articles.findOne(documentId: "nope") == nil)
        #expect(try await articles.delete(documentId: "nope").entries.isEmpty)
    }

    @Test("delete removes every version")
    func delete() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let created = try await articles.create(data: ["title": "Gone"], WriteOptions(status: .published))
        #expect(try await articles.delete(documentId: created["documentId"]!.stringValue!).entries.count == 2)
        #expect(try await articles.entities.count(.all) == 0)
    }

    @Test("without draft and publish there is one row, always published")
    func noDraftAndPublish() async throws {
        let (_, tags) = try await makeService(#"{"collectionName":"tags","info":{"singularName":"tag","pluralName":"tags"},"options":{"draftAndPublish":false},"attributes":{"name":{"type":"string"}}}"#, uid: "api::tag.tag")
        let tag = try await tags.create(data: ["name": "swift"])
        #expect(tag["publishedAt"] == "2024-03-06T13:42:05.098Z")
        #expect(try await tags.entities.count(.all) == 1)
        #expect(try await tags.count() == 1, "status is ignored without draft and publish")
    }
}

@Suite("Document Service: validation")
struct ValidationTests {
    func errors(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch let error as ValidationError {
            let fields = error.fieldErrors
            return fields.isEmpty ? [error.message] : fields.map { "\($0.path.joined(separator: ".")): \($0.message)" }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test("required, minLength and format checks apply when publishing only")
    func draftsMayBeIncomplete() async throws {
        let (_, articles) = try await makeService(articleSchema)
        _ = try await articles.create(data: ["title": "x", "contact": "not-an-email"])
        let failures = await errors { _ = try await articles.create(data: ["title": "x", "contact": "not-an-email", "slug": "a b"], WriteOptions(status: .published)) }
        #expect(failures == [
            "title: title must be at least 2 characters",
            "slug: slug must match the following: \"/^[A-Za-z0-9-_.~]*$/\"",
            "contact: contact must be a valid email",
        ])
        let missing = await errors { _ = try await articles.create(data: [:], WriteOptions(status: .published)) }
        #expect(missing == ["title: title must be defined."])
    }

    @Test("maxLength, max and enumerations apply to drafts too")
    func alwaysChecked() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let failures = await errors { _ = try await articles.create(data: ["title": "a title that is far too long", "kind": "essay", "views": 5000]) }
        #expect(failures == [
            "title: title must be at most 20 characters",
            "kind: kind must be one of the following values: news, blog",
            "views: views must be less than or equal to 1000",
        ])
    }

    @Test("type errors use yup's wording")
    func types() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let failures = await errors { _ = try await articles.create(data: ["title": ["nested": true], "views": "many"]) }
        #expect(failures == [
            "title: title must be a `string` type, but the final value was: `{\"nested\":true}`.",
            "views: views must be a `number` type, but the final value was: `\"many\"`.",
        ])
    }

    @Test("unknown, system and id keys are refused before anything else")
    func keys() async throws {
        let (_, articles) = try await makeService(articleSchema)
        for key in ["nope", "id", "documentId", "createdAt", "updatedAt", "createdBy"] {
            #expect(await errors { _ = try await articles.create(data: [key: "x"]) } == ["Invalid key \(key)"])
        }
    }

    @Test("unique is checked among published versions of other documents")
    func unique() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let first = try await articles.create(data: ["title": "One", "code": "A"], WriteOptions(status: .published))
        _ = try await articles.create(data: ["title": "Draft", "code": "A"])
        #expect(await errors { _ = try await articles.create(data: ["title": "Two", "code": "A"], WriteOptions(status: .published)) } == ["code: This attribute must be unique"])
        // Re-publishing the same document with its own value is fine.
        _ = try await articles.update(documentId: first["documentId"]!.stringValue!, data: ["code": "A"], WriteOptions(status: .published))
    }

    @Test("concurrent publishes of one unique value: one wins, the others get the 400, never a 500 or a duplicate")
    func uniqueUnderConcurrency() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let outcomes = await withTaskGroup(of: [String].self) { group in
            for index in 0..<8 {
                group.addTask { await errors { _ = try await articles.create(data: ["title": .string("Racer \(index)"), "code": "SAME"], WriteOptions(status: .published)) } }
            }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0.isEmpty }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == ["code: This attribute must be unique"] }.count == 7, "\(outcomes)")
        #expect(try await articles.count(DocumentQuery(status: .published)) == 1)
    }

    @Test("a unique index the database enforces (column.unique) is a ValidationError naming the attribute")
    func databaseUniqueIndex() async throws {
        let schema = #"""
        {"collectionName":"codes","info":{"singularName":"code","pluralName":"codes"},"options":{"draftAndPublish":true},
         "attributes":{"ref":{"type":"string","column":{"unique":true}}}}
        """#
        let (_, codes) = try await makeService(schema, uid: "api::code.code")
        _ = try await codes.create(data: ["ref": "R-1"])
        #expect(await errors { _ = try await codes.create(data: ["ref": "R-1"]) } == ["ref: This attribute must be unique"])
        #expect(try await codes.count() == 1, "the failed write left nothing behind")
    }

    @Test("passwords are stored as bcrypt hashes")
    func passwords() async throws {
        let (_, articles) = try await makeService(articleSchema)
        let created = try await articles.create(data: ["title": "Secret", "secret": "hunter22"])
        let stored = try #require(created["secret"]?.stringValue)
        #expect(stored.hasPrefix("$2"))
        #expect(Bcrypt.verify("hunter22", hash: stored))
    }

    @Test("the output sanitizer hides private and password attributes")
    func sanitizer() async throws {
        let (service, articles) = try await makeService(articleSchema)
        let created = try await articles.create(data: ["title": "T", "secret": "pw", "hidden": "h"])
        let output = OutputSanitizer(registry: service.registry, globalPrivateAttributes: ["views"]).sanitize(created, uid: articles.contentType.uid)
        #expect(output["secret"] == nil && output["hidden"] == nil && output["views"] == nil)
        #expect(output["title"] == "T")
    }
}
