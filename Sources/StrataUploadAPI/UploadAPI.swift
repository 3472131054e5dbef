import Foundation
import Hummingbird
package import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema
import StrataHTTP
package import StrataModule
package import StrataOperations
public import StrataUpload

/// The upload plugin's Content API under `/api/upload`, with Strapi's routes, permission actions
/// and bare-JSON responses.
public struct UploadAPI: Sendable {
    public let service: UploadService
    /// Authorizes the routes and parses queries as every content operation does.
    package let operations: ContentOperations

    package init(service: UploadService, operations: ContentOperations) {
        self.service = service
        self.operations = operations
    }

    /// The permission action of a route (`find` → `plugin::upload.content-api.find`).
    static func action(_ name: String) -> String { "plugin::upload.content-api.\(name)" }

    /// The routes under the API prefix, with Strapi's permission actions.
    package var routes: [ModuleRoute] {
        [
            ModuleRoute(.post, "upload", action: Self.action("upload")) { try await upload($0, $1, $2) },
            ModuleRoute(.get, "upload/files", action: Self.action("find")) { try await find($0, $1, $2) },
            ModuleRoute(.get, "upload/files/:id", action: Self.action("findOne")) { try await findOne($0, $1, $2) },
            ModuleRoute(.delete, "upload/files/:id", action: Self.action("destroy")) { try await destroy($0, $1, $2) },
        ]
    }

    func authorize(_ context: StrataRequestContext, _ action: String) async throws -> OperationAccess {
        try await operations.authorize(Caller(identity: context.identity, origin: .contentAPI), action: action)
    }

    /// `POST /upload`: new files, `?id=` with a file to replace one, `?id=` without to edit its `fileInfo`.
    func upload(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        var access = try await authorize(context, action)
        let query = QueryString.parse(request.uri.query)
        let id = try query["id"].map { value -> Int64 in
            guard let text = value.stringValue ?? value.intValue.map(String.init), let id = Int64(text) else { throw NotFoundError("file not found") }
            return id
        }
        let body = try await readBody(request, context)
        defer { body.upload?.cleanUp() }
        let files = body.upload?.files ?? []
        let infos = try FileInfo.list(body.fields["fileInfo"])

        if let id {
            if files.isEmpty {
                return .json(service.sanitize(try await service.updateFileInfo(id: id, info: infos.first ?? FileInfo())))
            }
            guard files.count == 1 else { throw ValidationError("Cannot replace a file with multiple ones") }
            return .json(service.sanitize(try await service.replace(id: id, with: files[0], info: infos.first ?? FileInfo())))
        }
        guard !files.isEmpty else { throw ValidationError("Files are empty") }
        var link: UploadLink?
        if let ref = body.fields["ref"]?.stringValue, let refId = body.fields["refId"], let field = body.fields["field"]?.stringValue {
            link = UploadLink(ref: ref, refId: refId.stringValue ?? refId.intValue.map(String.init) ?? "", field: field)
            // Linking needs read access to the entry's type; refused as an unknown type would be,
            // so the answer tells nothing about entries the caller cannot see.
            if let uid = try? UID(ref), service.documents.registry.contentType(uid) != nil,
                let readable = try await access.readableTypes(operations.access), !readable(uid)
            {
                throw ValidationError("ref: \(ref) is not a content type or component")
            }
        }
        let created = try await service.upload(files, info: infos, link: link)
        return .json(.array(created.map { service.sanitize($0) }), status: .created)
    }

    /// `GET /upload/files`: a bare array, with `filters`, `sort`, `fields`, `populate` and
    /// `start`/`limit` or `pagination` like Strapi's entity service.
    func find(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        var access = try await authorize(context, action)
        guard let type = service.documents.registry.contentType(UploadService.fileUID) else { throw NotFoundError() }
        let raw = QueryString.parse(request.uri.query)
        let (query, readable) = try await operations.entityServiceQuery(type, query: raw, access: &access, maxLimit: operations.configuration.maxLimit)
        return .json(.array(try await service.findMany(query).map { service.sanitize($0, readable: readable) }))
    }

    func findOne(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        _ = try await authorize(context, action)
        guard let id = Int64(try context.parameters.require("id")), let file = try await service.findOne(id: id) else {
            throw NotFoundError("file.notFound")
        }
        return .json(service.sanitize(file))
    }

    func destroy(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        _ = try await authorize(context, action)
        guard let id = Int64(try context.parameters.require("id")), let file = try await service.delete(id: id) else {
            throw NotFoundError("file.notFound")
        }
        return .json(service.sanitize(file))
    }

    /// The request's fields and files: multipart bodies stream to disk; JSON and urlencoded
    /// bodies (used to edit `fileInfo`) are read as fields.
    func readBody(_ request: Request, _ context: StrataRequestContext) async throws -> (upload: MultipartUpload?, fields: JSONObject) {
        let contentType = request.headers[.contentType]
        if let boundary = MultipartUpload.boundary(of: contentType) {
            let limit = service.configuration.sizeLimit
            let upload = try await MultipartUpload.receive(
                request, boundary: boundary, fileSizeLimit: limit, fieldSizeLimit: context.maxUploadSize,
                maxFiles: service.configuration.maxFiles, totalSizeLimit: service.configuration.maxTotalSize,
                limitMessage: { "\($0) exceeds size limit of \(UploadService.humanReadable(limit))." })
            var fields: JSONObject = [:]
            for (name, value) in upload.fields.sorted(by: { $0.key < $1.key }) { fields[name] = .string(value) }
            return (upload, fields)
        }
        if contentType?.lowercased().hasPrefix("multipart/") == true { throw BadRequestError("Malformed multipart body: no boundary") }
        var request = request
        guard let body = try await request.decodeJSONBody(context: context) else { return (nil, [:]) }
        guard case .object(let object) = body else { throw ValidationError("The request body must be an object") }
        return (nil, object)
    }
}

extension UploadAPI: StrataModule {
    package var name: String { "upload" }

    /// Checks the provider and creates the upload folders.
    package func bootstrap(_ modules: ModuleRegistry) async throws {
        try await service.bootstrap()
    }

    package func destroy() async throws {
        try await service.shutdown()
    }
}

extension UploadConfiguration: ModuleConfiguration {
    /// The plugin's `config` object in `config/plugins.json`.
    package init(plugin config: JSONValue?) throws {
        try self.init(json: config)
    }
}
