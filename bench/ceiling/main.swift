// The benchmark ceiling: Hummingbird + sqlite-nio on the same SQLite file Strata serves, with
// hand-written SQL and JSON and no CMS logic (no schema, no query language, no permissions).
// Strata's figures are reported as ratios to this server's, measured in the same run.
//
//   strata-ceiling --database PATH --port N
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import SQLiteNIO

@main
struct Ceiling {
    static func main() async throws {
        var database = ".tmp/data.db"
        var port = 1338
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--database": database = arguments.next() ?? database
            case "--port": port = Int(arguments.next() ?? "") ?? port
            default: break
            }
        }
        // One connection per core, as Strata's reader pool.
        var connections: [SQLiteConnection] = []
        for _ in 0..<max(1, System.coreCount) {
            connections.append(try await SQLiteConnection.open(storage: .file(path: database)))
        }
        let pool = connections

        let router = Router()
        router.get("/_health") { _, _ in Response(status: .noContent) }
        router.get("/api/articles") { request, _ -> Response in
            let page = max(1, Int(request.uri.queryParameters["page"] ?? "1") ?? 1)
            let connection = pool[Int.random(in: 0..<pool.count)]
            let total = try await connection.query("SELECT COUNT(*) FROM articles WHERE published_at IS NOT NULL").first?.column("COUNT(*)")?.integer ?? 0
            let rows = try await connection.query(
                "SELECT \(columns) FROM articles WHERE published_at IS NOT NULL ORDER BY id LIMIT 25 OFFSET ?", [.integer((page - 1) * 25)])
            var json = "{\"data\":["
            for (index, row) in rows.enumerated() {
                if index > 0 { json += "," }
                article(row, into: &json)
            }
            json += "],\"meta\":{\"pagination\":{\"page\":\(page),\"pageSize\":25,\"pageCount\":\((total + 24) / 25),\"total\":\(total)}}}"
            return response(json)
        }
        router.get("/api/articles/:documentId") { _, context -> Response in
            let documentId = context.parameters.get("documentId") ?? ""
            let connection = pool[Int.random(in: 0..<pool.count)]
            let rows = try await connection.query(
                "SELECT \(columns) FROM articles WHERE document_id = ? AND published_at IS NOT NULL LIMIT 1", [.text(documentId)])
            guard let row = rows.first else { return Response(status: .notFound) }
            var json = "{\"data\":"
            article(row, into: &json)
            json += ",\"meta\":{}}"
            return response(json)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "ceiling"))
        try await app.runService()
        for connection in pool { try await connection.close() }
    }

    static let columns = "id, document_id, title, slug, body, views, rating, featured, published_on, created_at, updated_at, published_at, locale"

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// The same members, in the same order, as Strata's (and Strapi's) list items.
    static func article(_ row: SQLiteRow, into json: inout String) {
        json += "{\"id\":\(row.column("id")?.integer ?? 0)"
        json += ",\"documentId\":"; string(row.column("document_id"), into: &json)
        json += ",\"title\":"; string(row.column("title"), into: &json)
        json += ",\"slug\":"; string(row.column("slug"), into: &json)
        json += ",\"body\":"; string(row.column("body"), into: &json)
        json += ",\"views\":"; json += row.column("views")?.integer.map(String.init) ?? "null"
        json += ",\"rating\":"; json += row.column("rating")?.double.map { String($0) } ?? "null"
        json += ",\"featured\":"; json += row.column("featured")?.integer.map { $0 != 0 ? "true" : "false" } ?? "null"
        json += ",\"publishedOn\":"; string(row.column("published_on"), into: &json)
        json += ",\"createdAt\":"; timestamp(row.column("created_at"), into: &json)
        json += ",\"updatedAt\":"; timestamp(row.column("updated_at"), into: &json)
        json += ",\"publishedAt\":"; timestamp(row.column("published_at"), into: &json)
        json += ",\"locale\":"; string(row.column("locale"), into: &json)
        json += "}"
    }

    static func string(_ value: SQLiteData?, into json: inout String) {
        guard let text = value?.string else { json += "null"; return }
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20: json += String(format: "\\u%04x", scalar.value)
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }

    /// Milliseconds since the epoch as `2025-01-01T00:00:00.000Z`.
    static func timestamp(_ value: SQLiteData?, into json: inout String) {
        guard let milliseconds = value?.integer else { json += "null"; return }
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        json += String(format: "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                       parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(milliseconds % 1000))
    }
}
