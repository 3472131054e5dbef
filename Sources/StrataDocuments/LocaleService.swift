import Foundation
public import StrataCore
public import StrataDatabase
import StrataSQL
import StrataSchema

/// The i18n plugin's locales as data: rows of `plugin::i18n.locale` (`i18n_locale`) and the
/// default locale in the core store (`plugin_i18n_default_locale`), as Strapi keeps them.
///
/// Reads are cached for a second, so several Strata processes sharing a database see each
/// other's changes promptly without a query per request.
public final class LocaleService: LocaleProvider {
    public struct Locale: Sendable, Equatable {
        public var code: String
        public var name: String
        public var isDefault: Bool
    }

    public static let uid = try! UID("plugin::i18n.locale")
    static let defaultLocaleKey = "plugin_i18n_default_locale"

    let database: Database
    let store: CoreStore
    let documentIDs: any DocumentIDGenerator
    let clock: any WallClock
    private let cache = LockedValue<(locales: [Locale], expires: ContinuousClock.Instant)?>(nil)

    public init(database: Database, documentIDs: any DocumentIDGenerator = RandomDocumentIDGenerator(), clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.store = CoreStore(client: database.client)
        self.documentIDs = documentIDs
        self.clock = clock
    }

    var repository: EntityRepository {
        get throws {
            guard let repository = database.query(Self.uid) else { throw NotFoundError("The i18n locale type is not registered") }
            return repository
        }
    }

    /// Creates English (`en`) as the default locale on first start, as Strapi does.
    public func bootstrap() async throws {
        if try await repository.count(.all) == 0 {
            try await insert(code: "en", name: "English (en)")
        }
        if try await store.get(Self.defaultLocaleKey) == nil {
            let first = try await repository.findMany(EntityQuery(sort: [SortField(["id"])], limit: 1, fields: ["code"]))
            try await store.set(Self.defaultLocaleKey, first.first?["code"] ?? "en")
        }
        invalidate()
    }

    public func list() async throws -> [Locale] {
        if let cached = cache.value, cached.expires > ContinuousClock.now { return cached.locales }
        let defaultCode = try await store.get(Self.defaultLocaleKey)?.stringValue
        let rows = try await repository.findMany(EntityQuery(sort: [SortField(["id"])], fields: ["name", "code"]))
        let locales = rows.compactMap { row -> Locale? in
            guard let code = row["code"]?.stringValue else { return nil }
            return Locale(code: code, name: row["name"]?.stringValue ?? code, isDefault: code == defaultCode)
        }
        cache.withLock { $0 = (locales, ContinuousClock.now + .seconds(1)) }
        return locales
    }

    public func defaultLocale() async throws -> String {
        let locales = try await list()
        return locales.first(where: \.isDefault)?.code ?? locales.first?.code ?? "en"
    }

    public func isKnown(_ code: String) async throws -> Bool {
        try await list().contains { $0.code == code }
    }

    /// Adds a locale; the name defaults to the language's English name and code, like "French (fr)".
    public func add(code: String, name: String?) async throws -> Locale {
        guard Self.isValidCode(code) else { throw ValidationError("Invalid locale code \"\(code)\"") }
        if try await repository.count(.equals("code", .string(code))) > 0 {
            throw ValidationError("This locale already exists")
        }
        let resolvedName = name ?? Self.displayName(for: code)
        try await insert(code: code, name: resolvedName)
        invalidate()
        return Locale(code: code, name: resolvedName, isDefault: try await defaultLocale() == code)
    }

    public func setDefault(_ code: String) async throws {
        guard try await repository.count(.equals("code", .string(code))) > 0 else {
            throw NotFoundError("Locale \(code) does not exist")
        }
        try await store.set(Self.defaultLocaleKey, .string(code))
        invalidate()
    }

    /// Deletes a locale and, as Strapi does, every localized entry in it.
    public func delete(_ code: String) async throws {
        invalidate()
        guard try await isKnown(code) else { throw NotFoundError("Locale \(code) does not exist") }
        if try await defaultLocale() == code { throw ValidationError("Cannot delete the default locale") }
        try await database.transaction {
            for type in database.metadata.registry.contentTypes where type.localized {
                guard let entities = database.query(type.uid) else { continue }
                try await entities.deleteRows(ids: try await entities.ids(.equals("locale", .string(code))))
            }
            try await self.repository.delete(.equals("code", .string(code)))
        }
        invalidate()
    }

    func insert(code: String, name: String) async throws {
        let now = DatabaseValue.timestamp(clock.now())
        try await repository.insert([
            ("documentId", .text(documentIDs.next())), ("name", .text(name)), ("code", .text(code)),
            ("createdAt", now), ("updatedAt", now), ("publishedAt", now),
        ])
    }

    func invalidate() {
        cache.withLock { $0 = nil }
    }

    /// BCP 47-like codes Strapi's list uses: `fr`, `en-GB`, `zh-Hans-CN`, `es-419`.
    static func isValidCode(_ code: String) -> Bool {
        code.range(of: #"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"#, options: .regularExpression) != nil
    }

    static func displayName(for code: String) -> String {
        let name = Foundation.Locale(identifier: "en").localizedString(forIdentifier: code.replacingOccurrences(of: "-", with: "_")) ?? code
        return "\(name) (\(code))"
    }
}
