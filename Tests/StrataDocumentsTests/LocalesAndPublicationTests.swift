import StrataCore
import StrataDatabase
import StrataSchema
import StrataSQL
import StrataTestDatabase
import Testing
@testable import StrataDocuments

/// A Document Service with real locales (`plugin::i18n.locale`) and a localized restaurant type.
func makeLocalizedService() async throws -> (DocumentService, DocumentRepository, LocaleService) {
    let parser = SchemaParser()
    let restaurant = try parser.contentType(uid: try UID("api::restaurant.restaurant"), json: try JSONParser.parse(#"""
    {"collectionName":"restaurants","info":{"singularName":"restaurant","pluralName":"restaurants"},"options":{"draftAndPublish":true},
     "pluginOptions":{"i18n":{"localized":true}},
     "attributes":{"name":{"type":"string","required":true},
       "phone":{"type":"string","pluginOptions":{"i18n":{"localized":false}}},
       "menu":{"type":"component","component":"food.dish","repeatable":true},
       "hours":{"type":"component","component":"food.dish","repeatable":true,"pluginOptions":{"i18n":{"localized":false}}}}}
    """#))
    let locale = try parser.contentType(uid: try UID("plugin::i18n.locale"), json: try JSONParser.parse(#"""
    {"collectionName":"i18n_locale","info":{"singularName":"locale","pluralName":"locales"},"options":{"draftAndPublish":false},
     "attributes":{"name":{"type":"string"},"code":{"type":"string","unique":true}}}
    """#))
    let dish = try parser.component(uid: try UID("food.dish"), json: try JSONParser.parse(#"{"collectionName":"components_food_dishes","attributes":{"title":{"type":"string","required":true}}}"#))
    let registry = try SchemaRegistry(contentTypes: [restaurant, locale], components: [dish])
    let driver = try await TestDatabase.driver()
    let database = Database(client: DatabaseClient(driver: driver), metadata: try StorageMetadata(registry: registry))
    try await database.synchronizeSchema()
    let locales = LocaleService(database: database)
    try await locales.bootstrap()
    for code in ["fr", "it"] { _ = try await locales.add(code: code, name: nil) }
    let service = DocumentService(database: database, documentIDs: Counter(), clock: FixedClock(), locales: locales)
    return (service, try service(try UID("api::restaurant.restaurant")), locales)
}

@Suite("Document Service: locales")
struct LocaleTests {
    @Test("the seed's 4-document example: findMany({locale: 'fr'}) returns A, C and D")
    func fourDocuments() async throws {
        let (_, restaurants, _) = try await makeLocalizedService()
        func create(_ name: String, _ locales: [String]) async throws {
            let first = try await restaurants.create(data: ["name": .string("\(name)-\(locales[0])")], WriteOptions(locale: .code(locales[0])))
            for locale in locales.dropFirst() {
                _ = try await restaurants.update(documentId: first["documentId"]!.stringValue!, data: ["name": .string("\(name)-\(locale)")], WriteOptions(locale: .code(locale)))
            }
        }
        try await create("A", ["en", "fr", "it"])
        try await create("B", ["en", "it"])
        try await create("C", ["fr"])
        try await create("D", ["fr", "it"])
        let french = try await restaurants.findMany(DocumentQuery(locale: .code("fr")))
        #expect(french.compactMap { $0["name"]?.stringValue } == ["A-fr", "C-fr", "D-fr"])
        #expect(french.allSatisfy { $0["publishedAt"] == .null }, "drafts by default")
        #expect(try await restaurants.findMany().compactMap { $0["name"]?.stringValue } == ["A-en", "B-en"], "default locale by default")
        #expect(try await restaurants.count(DocumentQuery(locale: .all)) == 8)
        #expect(try await restaurants.count(DocumentQuery(locale: .code("it"))) == 3)
    }

    @Test("a new locale version takes shared values; shared values stay in sync")
    func nonLocalized() async throws {
        let (_, restaurants, _) = try await makeLocalizedService()
        let created = try await restaurants.create(data: ["name": "Chez", "phone": "111"])
        let documentId = created["documentId"]!.stringValue!
        let french = try await restaurants.update(documentId: documentId, data: ["name": "Chez FR"], WriteOptions(locale: .code("fr")))
        #expect(french?["phone"] == "111")
        #expect(french?["locale"] == "fr")
        _ = try await restaurants.update(documentId: documentId, data: ["phone": "222"], WriteOptions(locale: .code("fr")))
        #expect(try await restaurants.findOne(documentId: documentId)?["phone"] == "222", "the English draft follows")
        #expect(try await restaurants.findOne(documentId: documentId)?["name"] == "Chez", "localized values do not")
        _ = try await restaurants.update(documentId: documentId, data: ["hours": [["title": "9-5"]], "menu": [["title": "Plat"]]], WriteOptions(locale: .code("fr")))
        let english = try await restaurants.findOne(documentId: documentId, DocumentQuery(populate: Populate([("hours", .all), ("menu", .all)])))
        #expect(english?["hours"]?[0]?["title"] == "9-5", "shared components are copied to the other locales")
        #expect(english?["menu"] == [], "localized components are not")
    }

    @Test("unknown locales are refused; writes cannot target every locale")
    func invalidLocales() async throws {
        let (_, restaurants, _) = try await makeLocalizedService()
        await #expect(throws: ValidationError.self) { try await restaurants.create(data: ["name": "x"], WriteOptions(locale: .code("xx"))) }
        await #expect(throws: ValidationError.self) { try await restaurants.create(data: ["name": "x"], WriteOptions(locale: .all)) }
        await #expect(throws: ValidationError.self) { try await restaurants.findMany(DocumentQuery(locale: .code("xx"))) }
    }

    @Test("locales are data: add, default, delete (with their entries)")
    func localeAdministration() async throws {
        let (_, restaurants, locales) = try await makeLocalizedService()
        #expect(try await locales.list().map(\.code) == ["en", "fr", "it"])
        #expect(try await locales.list().first { $0.code == "fr" }?.name == "French (fr)")
        try await locales.setDefault("fr")
        #expect(try await locales.defaultLocale() == "fr")
        let created = try await restaurants.create(data: ["name": "Default is French now"])
        #expect(created["locale"] == "fr")
        _ = try await restaurants.create(data: ["name": "Ciao"], WriteOptions(locale: .code("it")))
        await #expect(throws: ValidationError.self) { try await locales.delete("fr") }
        try await locales.delete("it")
        #expect(try await locales.list().map(\.code) == ["en", "fr"])
        #expect(try await restaurants.count(DocumentQuery(locale: .all)) == 1, "Italian entries went with the locale")
        await #expect(throws: ValidationError.self) { try await locales.add(code: "fr", name: nil) }
        await #expect(throws: ValidationError.self) { try await locales.add(code: "Not A Code", name: nil) }
    }
}

@Suite("Document Service: publication")
struct PublicationTests {
    @Test("publish, unpublish and discardDraft per locale and for every locale")
    func lifecycle() async throws {
        let (_, restaurants, _) = try await makeLocalizedService()
        let created = try await restaurants.create(data: ["name": "One", "menu": [["title": "Soup"]]])
        let documentId = created["documentId"]!.stringValue!
        _ = try await restaurants.update(documentId: documentId, data: ["name": "Un", "menu": [["title": "Soupe"]]], WriteOptions(locale: .code("fr")))
        let published = try await restaurants.publish(documentId: documentId)
        #expect(published.entries.map { $0["locale"] } == ["en"])
        #expect(try await restaurants.count(DocumentQuery(status: .published, locale: .all)) == 1)
        let all = try await restaurants.publish(documentId: documentId, WriteOptions(locale: .all))
        #expect(all.entries.count == 2)
        #expect(try await restaurants.count(DocumentQuery(status: .published, locale: .all)) == 2)
        #expect(try await restaurants.count(DocumentQuery(locale: .all)) == 2, "drafts count published documents too")

        _ = try await restaurants.update(documentId: documentId, data: ["name": "Changed", "menu": [["title": "Stew"]]])
        let discarded = try await restaurants.discardDraft(documentId: documentId)
        #expect(discarded.entries.first?["name"] == "One")
        let draft = try await restaurants.findOne(documentId: documentId, DocumentQuery(populate: Populate([("menu", .all)])))
        #expect(draft?["menu"]?[0]?["title"] == "Soup", "components come back with the discarded draft")
        #expect(draft?["publishedAt"] == .null)

        let unpublished = try await restaurants.unpublish(documentId: documentId, WriteOptions(locale: .code("fr")))
        #expect(unpublished.entries.count == 1)
        #expect(try await restaurants.count(DocumentQuery(status: .published, locale: .all)) == 1)
        await #expect(throws: ValidationError.self) { try await restaurants.delete(documentId: documentId, WriteOptions(status: .draft)) }
        #expect(try await restaurants.delete(documentId: documentId, WriteOptions(locale: .all)).entries.count == 3)
    }

    @Test("publishing validates the draft with published-level rules")
    func publishValidates() async throws {
        let (_, restaurants, _) = try await makeLocalizedService()
        let created = try await restaurants.create(data: ["menu": [[:]]])
        do {
            _ = try await restaurants.publish(documentId: created["documentId"]!.stringValue!)
            Issue.record("expected a validation error")
        } catch let error as ValidationError {
            #expect(error.fieldErrors.map { $0.path.joined(separator: ".") } == ["name", "menu.0.title"])
        }
        #expect(try await restaurants.count(DocumentQuery(status: .published)) == 0)
    }
}

@Suite("Document Service: middlewares and events")
struct MiddlewareTests {
    @Test("middlewares run in registration order around every method and can change params and results")
    func order() async throws {
        let (service, restaurants, _) = try await makeLocalizedService()
        let log = LockedValue<[String]>([])
        service.use { context, next in
            log.withLock { $0.append("first:\(context.action.rawValue)") }
            var context = context
            if context.action == .create { context.params.data?["phone"] = "from middleware" }
            let result = try await next(context)
            log.withLock { $0.append("first:done") }
            return result
        }
        service.use { context, next in
            log.withLock { $0.append("second:\(context.uid)") }
            guard case .document(var document?) = try await next(context) else { return try await next(context) }
            document["touched"] = true
            return .document(document)
        }
        let created = try await restaurants.create(data: ["name": "Mw"])
        #expect(created["phone"] == "from middleware")
        #expect(created["touched"] == true)
        #expect(log.value == ["first:create", "second:api::restaurant.restaurant", "first:done"])
        _ = try await restaurants.count()
        #expect(log.value.suffix(3) == ["first:count", "second:api::restaurant.restaurant", "first:done"])
    }

    @Test("a middleware that throws after the write rolls everything back and no event is sent")
    func rollback() async throws {
        let (service, restaurants, _) = try await makeLocalizedService()
        let events = LockedValue<[String]>([])
        service.onEvent { event in events.withLock { $0.append(event.kind.rawValue) } }
        struct Refused: Error {}
        service.use { context, next in
            let result = try await next(context)
            if context.action == .create, context.params.data?["name"] == "bad" { throw Refused() }
            return result
        }
        await #expect(throws: Refused.self) {
            try await restaurants.create(data: ["name": "bad", "menu": [["title": "x"]]], WriteOptions(status: .published))
        }
        #expect(try await restaurants.entities.count(.all) == 0)
        #expect(try await service.database.query(try UID("food.dish"))!.count(.all) == 0, "component rows rolled back too")
        #expect(events.value.isEmpty)
        _ = try await restaurants.create(data: ["name": "good"], WriteOptions(status: .published))
        #expect(events.value == ["entry.create", "entry.publish"])
    }
}
