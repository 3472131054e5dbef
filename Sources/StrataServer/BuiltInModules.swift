import StrataDocuments
import StrataModule
import StrataUpload
import StrataWebhooks

/// The i18n plugin: the locales every localized document is written in.
struct I18nModule: StrataModule {
    let locales: LocaleService

    var name: String { "i18n" }

    /// Seeds the default locale (English) in a new database; first of all modules, so that
    /// everything bootstrapped after it finds a default locale.
    func bootstrap(_ modules: ModuleRegistry) async throws {
        try await locales.bootstrap()
    }
}

/// Webhooks: called after document and Media Library events.
struct WebhooksModule: StrataModule {
    let webhooks: WebhookService
    let upload: UploadService?

    var name: String { "webhooks" }

    func install(on documents: DocumentService) {
        webhooks.listen(upload: upload)
    }

    /// Delivers the calls still queued.
    func destroy() async throws {
        await webhooks.runner.shutdown()
    }
}
