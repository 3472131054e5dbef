import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema

extension UploadService {
    /// The folder Content API uploads go to: "API Uploads" at the root, created on first use and
    /// remembered in the core store (`plugin_upload_api-folder`) as Strapi does.
    func apiUploadFolder() async throws -> (id: Int64, path: String) {
        try await folderLock.run { [self] in
            let folders = try documents(Self.folderUID)
            if let id = try await store.get(Self.apiFolderKey)?["id"]?.intValue,
               let folder = try await folders.findFirst(DocumentQuery(filters: .equals("id", .int(id)))),
               let path = folder["path"]?.stringValue {
                return (id, path)
            }
            return try await documents.database.transaction {
                let existing = try await folders.findMany(DocumentQuery(fields: ["name", "pathId"]))
                let names = Set(existing.compactMap { $0["name"]?.stringValue })
                var name = "API Uploads"
                var suffix = 1
                while names.contains(name) {
                    name = "API Uploads (\(suffix))"
                    suffix += 1
                }
                let pathId = (existing.compactMap { $0["pathId"]?.intValue }.max() ?? 0) + 1
                let folder = try await folders.create(data: ["name": .string(name), "pathId": .int(pathId), "path": .string("/\(pathId)")])
                guard let id = folder["id"]?.intValue else { throw ApplicationError("Could not create the API Uploads folder") }
                try await store.set(Self.apiFolderKey, .object(["id": .int(id)]))
                return (id, "/\(pathId)")
            }
        }
    }

    /// The entry row and media field an upload links to, checked before anything is stored.
    struct LinkTarget: Sendable {
        var repository: EntityRepository
        var rowID: Int64
        var field: String
    }

    func resolve(_ link: UploadLink) async throws -> LinkTarget {
        guard let uid = try? UID(link.ref), let model = documents.database.metadata.model(uid), let repository = documents.database.query(uid) else {
            throw ValidationError("ref: \(link.ref) is not a content type or component")
        }
        guard let attribute = model.field(link.field)?.attribute, case .media = attribute.kind else {
            throw ValidationError("field: \(link.field) is not a media field of \(link.ref)")
        }
        guard let rowID = Int64(link.refId), try await !repository.ids(.equals("id", .int(rowID))).isEmpty else {
            throw ValidationError("refId: no \(link.ref) entry has the id \(link.refId)")
        }
        return LinkTarget(repository: repository, rowID: rowID, field: link.field)
    }

    /// Adds files to the entry's media field (a single media field keeps the last one).
    func connect(_ fileIDs: [Int64], to target: LinkTarget) async throws {
        let change = RelationChange.connect(fileIDs.map { RelationConnection(id: $0) }, disconnect: [], strict: false)
        try await target.repository.applyRelation(change, field: target.field, ownerID: target.rowID)
    }
}
