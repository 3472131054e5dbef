import Foundation
import StrataCore
import StrataDataTransfer
import StrataTesting
import StrataServer
import StrataDatabase
import StrataSQL
import HTTPTypes
import Testing

@Suite("Import of real Strapi archives")
struct StrapiFixtureImportTests {
    @Test func epicNextArchiveImportsWithStrapiCounts() async throws {
        try await TestStrata.run(try Fixtures.epicProject()) { strata, client in
            let log = DifferenceLog()
            let summary = try await strata.importer.import(from: Fixtures.epicArchive, key: nil, onSchemaDifferences: { log.record($0); return true })
            #expect(log.differences.map(\.description) == [])
            #expect(summary.schemas.count == 25)
            #expect(summary.entities.count == 19)
            #expect(summary.entities.breakdown["api::global.global"]?.count == 2)
            #expect(summary.entities.breakdown["api::home-page.home-page"]?.count == 2)
            #expect(summary.entities.breakdown["plugin::i18n.locale"]?.count == 1)
            #expect(summary.entities.breakdown["plugin::upload.file"]?.count == 1)
            #expect(summary.entities.breakdown["plugin::users-permissions.permission"]?.count == 11)
            #expect(summary.entities.breakdown["plugin::users-permissions.role"]?.count == 2)
            #expect(summary.links.count == 32)
            #expect(summary.links.breakdown["relation.circular"]?.count == 19)
            #expect(summary.links.breakdown["relation.basic"]?.count == 11)
            #expect(summary.links.breakdown["relation.morph"]?.count == 2)
            #expect(summary.assets.count == 5)
            #expect(summary.configuration.count == 34)
            #expect(summary.skipped == [])

            #expect(try await strata.rowCount("globals") == 2)
            #expect(try await strata.rowCount("up_permissions_role_lnk") == 11)
            #expect(try await strata.rowCount("files_related_mph") == 2)
            for name in ["pexels_anna_nekrashevich_7552374_00d755b030.jpg", "thumbnail_pexels_anna_nekrashevich_7552374_00d755b030.jpg", "large_pexels_anna_nekrashevich_7552374_00d755b030.jpg"] {
                #expect(FileManager.default.fileExists(atPath: strata.uploads.appendingPathComponent(name).path))
            }

            // Served by the REST API: the published single type with its components.
            let global = try await client.get("/api/global?populate[header][populate]=*&populate[footer][populate]=*")
            #expect(global.status == 200)
            #expect(global.data?["documentId"] == "vcny1vttvfqm1hd8dd6390rp")
            #expect(global.data?["header"]?["logoText"]?["href"] == "/")
            let home = try await client.get("/api/home-page?populate[blocks][on][layout.hero-section][populate]=*&populate[blocks][on][layout.features-section][populate]=*")
            #expect(home.status == 200)
            let blocks = home.data?["blocks"]?.arrayValue ?? []
            #expect(blocks.map { $0["__component"]?.stringValue } == ["layout.hero-section", "layout.features-section"])
            #expect(blocks.first?["image"]?["url"] == "/uploads/pexels_anna_nekrashevich_7552374_00d755b030.jpg")
            #expect(blocks.first?["image"]?["formats"]?["thumbnail"]?["width"] == 234)
            let image = try await client.send(.get, "/uploads/thumbnail_pexels_anna_nekrashevich_7552374_00d755b030.jpg")
            #expect(image.status == 200)
            // The draft row came along too.
            let draft = try await client.get("/api/global?status=draft")
            #expect(draft.data?["publishedAt"] == .null)
            // Users & Permissions roles and their permissions were replaced by the archive's.
            let roles = try await client.get("/api/users-permissions/roles")
            #expect(roles.json?["roles"]?.arrayValue?.count == 2)
            // Core store settings came across (Strapi's upload settings).
            let settings = try await strata.app.database.client.raw("SELECT value FROM strapi_core_store_settings WHERE key = 'plugin_upload_settings'")
            #expect(settings.count == 1)
        }
    }
}
