import Foundation
import Hummingbird
import Logging
import NIOPosix
import StrataHTTP

/// Serves `public/` at the site root like Strapi's `strapi::public` middleware, without touching
/// the disk for API routes.
struct PublicFilesMiddleware: RouterMiddleware {
    typealias Context = StrataRequestContext

    let files: FileMiddleware<StrataRequestContext, ConfinedFileSystem>?
    let skippedPrefixes: [String]
    /// The prefixes followed by `/`, built once.
    let skippedFolders: [String]

    /// `logger` is the application's, so the one line Hummingbird prints here follows its level.
    init(directory: String, skippedPrefixes: [String], logger: Logger) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
            files = FileMiddleware(fileProvider: ConfinedFileSystem(directory: directory, logger: logger), searchForIndexHtml: true)
        } else {
            files = nil
        }
        self.skippedPrefixes = skippedPrefixes
        skippedFolders = skippedPrefixes.map { $0 + "/" }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let files, request.method == .get || request.method == .head else {
            return try await next(request, context)
        }
        let path = request.uri.path
        if skippedPrefixes.contains(path) || skippedFolders.contains(where: { path.hasPrefix($0) }) {
            return try await next(request, context)
        }
        // Hummingbird's FileMiddleware asks the routes first and serves a file when they answer
        // 404: a response that came back from `next` is not a file.
        var servedByNext = false
        var response = try await files.handle(request, context: context) { request, context in
            let response = try await next(request, context)
            servedByNext = true
            return response
        }
        if !servedByNext { Self.addSafetyHeaders(&response, path: path) }
        return response
    }

    /// Files are served as what their extension says, never sniffed; uploaded files that a
    /// browser would run (HTML, SVG, XML, scripts) are downloads in a sandbox rather than pages
    /// of this origin, so an upload cannot become stored XSS. Images and media stay inline.
    static func addSafetyHeaders(_ response: inout Response, path: String) {
        response.headers[.xContentTypeOptions] = "nosniff"
        guard path.hasPrefix("/uploads/") else { return }
        let type = response.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if activeContentTypes.contains(type) || type.isEmpty {
            response.headers[.contentDisposition] = "attachment"
            response.headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        }
    }

    /// Types a browser renders as a document or runs as script.
    static let activeContentTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript",
        "application/javascript", "application/x-javascript", "application/ecmascript", "text/ecmascript", "application/x-shockwave-flash",
        "application/octet-stream", "text/xsl", "application/rss+xml", "application/atom+xml",
    ]
}

/// Hummingbird's `LocalFileSystem`, confined to the real path of its folder: a request whose file
/// resolves (through symbolic links, `public/leak -> /etc/passwd` or a linked folder) outside it
/// is not found. Each file is resolved once, with `realpath(3)` (a few system calls), and served
/// from its resolved path.
struct ConfinedFileSystem: FileProvider {
    typealias FileAttributes = LocalFileSystem.FileAttributes
    /// The resolved path, inside ``root``.
    typealias FileIdentifier = String

    let local: LocalFileSystem
    /// The folder's real path, without a trailing `/`.
    let root: String

    init(directory: String, logger: Logger) {
        root = Self.realPath(directory) ?? directory
        local = LocalFileSystem(rootFolder: root, threadPool: .singleton, logger: logger)
    }

    func getFileIdentifier(_ path: String) -> String? {
        guard !path.contains("\0"), let joined = local.getFileIdentifier(path), let resolved = Self.realPath(joined) else { return nil }
        guard resolved == root || (resolved.hasPrefix(root) && resolved.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/")) else {
            return nil
        }
        return resolved
    }

    func getAttributes(id: String) async throws -> FileAttributes? {
        try await local.getAttributes(id: id)
    }

    func loadFile(id: String, context: some RequestContext) async throws -> ResponseBody {
        try await local.loadFile(id: id, context: context)
    }

    func loadFile(id: String, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try await local.loadFile(id: id, range: range, context: context)
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved; `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
