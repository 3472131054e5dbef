import Foundation
import Hummingbird
import Logging
import StrataHTTP

/// Serves `public/` at the site root like Strapi's `strapi::public` middleware, without touching
/// the disk for API routes.
struct PublicFilesMiddleware: RouterMiddleware {
    typealias Context = StrataRequestContext

    let files: FileMiddleware<StrataRequestContext, LocalFileSystem>?
    let skippedPrefixes: [String]
    /// The prefixes followed by `/`, built once.
    let skippedFolders: [String]

    /// `logger` is the application's, so the one line Hummingbird prints here follows its level.
    init(directory: String, skippedPrefixes: [String], logger: Logger) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
            files = FileMiddleware(directory, searchForIndexHtml: true, logger: logger)
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
        return try await files.handle(request, context: context, next: next)
    }
}
