import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema
import Logging
public import StrataUpload

extension WebhookService {
    /// Starts calling webhooks on the events of the content Document Service and the Media Library.
    public func listen(upload: UploadService?) {
        documents.onEvent { [self] event in await handle(event) }
        upload?.onEvent { [self] event in await handle(event) }
    }

    /// Strapi sends no webhooks for users, so that their data never leaves by accident.
    static let silentTypes: Set<String> = ["plugin::users-permissions.user"]

    /// The enabled webhooks subscribed to `event`.
    func subscribers(of event: String) async -> [Webhook] {
        do {
            return try await store.findMany().filter { $0.isEnabled && $0.events.contains(event) }
        } catch {
            logger.error("cannot read the webhooks for \(event): \(error)")
            return []
        }
    }

    /// Entry events carry `{model, uid, entry}`: the entry read again after the commit with
    /// everything populated as Strapi's `getDeepPopulate` does (except for deletes and
    /// unpublishes, sent as they were), then sanitized (private fields and passwords removed).
    func handle(_ event: DocumentEvent) async {
        guard !Self.silentTypes.contains(event.uid.rawValue), let contentType = documents.registry.contentType(event.uid),
              var entry = event.entry else { return }
        let webhooks = await subscribers(of: event.kind.rawValue)
        guard !webhooks.isEmpty else { return }
        if event.kind != .deleted && event.kind != .unpublished, let id = entry["id"]?.intValue, let entities = documents.database.query(event.uid) {
            do {
                if let populated = try await entities.findOne(EntityQuery(filter: .equals("id", .int(id)), populate: deepPopulate(event.uid))) {
                    entry = populated
                }
            } catch {
                logger.warning("webhook payload of \(event.kind.rawValue) \(event.uid.rawValue) \(id) sent unpopulated: \(error)")
            }
        }
        let info: JSONObject = [
            "model": .string(contentType.singularName),
            "uid": .string(event.uid.rawValue),
            "entry": .object(sanitizer.sanitize(entry, uid: event.uid)),
        ]
        runner.enqueue(event: event.kind.rawValue, info: info, webhooks: webhooks)
    }

    /// Media events carry `{media}`: the file, sanitized.
    func handle(_ event: MediaEvent) async {
        let webhooks = await subscribers(of: event.kind.rawValue)
        guard !webhooks.isEmpty else { return }
        runner.enqueue(event: event.kind.rawValue, info: ["media": .object(sanitizer.sanitize(event.file, uid: uploadFileUID))], webhooks: webhooks)
    }

    /// Relations one level deep (not morph relations, only visible ones), media, and components
    /// and dynamic zones all the way down.
    func deepPopulate(_ uid: UID, depth: Int = 0) -> Populate {
        let registry = documents.registry
        guard depth < 20, let attributes = registry.contentType(uid)?.attributes ?? registry.component(uid)?.attributes else { return Populate() }
        var populate = Populate()
        for attribute in attributes {
            switch attribute.kind {
            case .relation(let relation) where !relation.kind.isMorph && attribute.visible:
                populate.set(attribute.name, .all)
            case .media:
                populate.set(attribute.name, .all)
            case .component(let component, _):
                populate.set(attribute.name, PopulateOptions(populate: deepPopulate(component, depth: depth + 1)))
            case .dynamiczone(let components):
                var on: [UID: PopulateOptions] = [:]
                for component in components { on[component] = PopulateOptions(populate: deepPopulate(component, depth: depth + 1)) }
                populate.set(attribute.name, PopulateOptions(on: on))
            default:
                break
            }
        }
        return populate
    }
}
