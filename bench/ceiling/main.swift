// The benchmark ceiling: Hummingbird + Strata's SQLite driver (StrataSQLite: connections, kept
// prepared statements, nothing above them) on the same SQLite file Strata serves, with
// hand-written SQL and JSON and no CMS logic (no schema, no query language, no permissions).
// Strata's figures are reported as ratios to this server's, measured in the same run.
//
//   strata-ceiling --database PATH --port N
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import StrataSQL
import StrataSQLite

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
        // The reader pool Strata uses, with its default size.
        let driver = try await SQLiteDriver.open(SQLiteConfiguration(storage: .file(database)))
        @Sendable func query(_ sql: String, _ binds: [DatabaseValue] = []) async throws -> [DatabaseRow] {
            try await driver.withConnection(.read) { try await $0.query(sql, binds) }
        }

        let router = Router()
        router.get("/_health") { _, _ in Response(status: .noContent) }
        router.get("/api/articles") { request, _ -> Response in
            let page = max(1, Int(request.uri.queryParameters["page"] ?? "1") ?? 1)
            let count = try await query("SELECT COUNT(*) AS n FROM articles WHERE published_at IS NOT NULL").first?["n"]
            let total = count.flatMap { if case .int(let n) = $0 { Int(n) } else { nil } } ?? 0
            let rows = try await query(
                "SELECT \(columns) FROM articles WHERE published_at IS NOT NULL ORDER BY id LIMIT 25 OFFSET ?", [.int(Int64((page - 1) * 25))])
            var json: [UInt8] = []
            json.reserveCapacity(16_384)
            json += Array(#"{"data":["#.utf8)
            for (index, row) in rows.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                article(row, into: &json)
            }
            json += Array(#"],"meta":{"pagination":{"page":\#(page),"pageSize":25,"pageCount":\#((total + 24) / 25),"total":\#(total)}}}"#.utf8)
            return response(json)
        }
        router.get("/api/articles/:documentId") { _, context -> Response in
            let documentId = context.parameters.get("documentId") ?? ""
            let rows = try await query(
                "SELECT \(columns) FROM articles WHERE document_id = ? AND published_at IS NOT NULL LIMIT 1", [.text(documentId)])
            guard let row = rows.first else { return Response(status: .notFound) }
            var json = Array(#"{"data":"#.utf8)
            article(row, into: &json)
            json += Array(#","meta":{}}"#.utf8)
            return response(json)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "ceiling"))
        try await app.runService()
        try await driver.shutdown()
    }

    static let columns = "id, document_id, title, slug, body, views, rating, featured, published_on, created_at, updated_at, published_at, locale"

    static func response(_ json: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// The same members, in the same order, as Strata's (and Strapi's) list items.
    static func article(_ row: DatabaseRow, into json: inout [UInt8]) {
        json += Array(#"{"id":"#.utf8); number(integer(row["id"]), into: &json)
        json += Array(#","documentId":"#.utf8); string(row["document_id"], into: &json)
        json += Array(#","title":"#.utf8); string(row["title"], into: &json)
        json += Array(#","slug":"#.utf8); string(row["slug"], into: &json)
        json += Array(#","body":"#.utf8); string(row["body"], into: &json)
        json += Array(#","views":"#.utf8); number(integer(row["views"]), into: &json)
        json += Array(#","rating":"#.utf8)
        if let rating = double(row["rating"]) {
            // JavaScript's number format: 4, not 4.0.
            json += Array((rating.rounded() == rating && abs(rating) < 1e15 ? String(Int(rating)) : String(rating)).utf8)
        } else {
            json += Array("null".utf8)
        }
        json += Array(#","featured":"#.utf8)
        json += Array((integer(row["featured"])).map { $0 != 0 ? "true" : "false" }?.utf8 ?? "null".utf8)
        json += Array(#","publishedOn":"#.utf8); string(row["published_on"], into: &json)
        json += Array(#","createdAt":"#.utf8); timestamp(row["created_at"], into: &json)
        json += Array(#","updatedAt":"#.utf8); timestamp(row["updated_at"], into: &json)
        json += Array(#","publishedAt":"#.utf8); timestamp(row["published_at"], into: &json)
        json += Array(#","locale":"#.utf8); string(row["locale"], into: &json)
        json.append(UInt8(ascii: "}"))
    }

    static func integer(_ value: DatabaseValue) -> Int? {
        if case .int(let number) = value { Int(number) } else { nil }
    }

    static func double(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let number): number
        case .int(let number): Double(number)
        default: nil
        }
    }

    static func number(_ value: Int?, into json: inout [UInt8]) {
        guard let value else { json += Array("null".utf8); return }
        json += Array(String(value).utf8)
    }

    static func string(_ value: DatabaseValue, into json: inout [UInt8]) {
        guard case .text(let text) = value else { json += Array("null".utf8); return }
        json.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): json += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                json += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// Milliseconds since the epoch as `"2025-01-01T00:00:00.000Z"`.
    static func timestamp(_ value: DatabaseValue, into json: inout [UInt8]) {
        guard let milliseconds = integer(value) else { json += Array("null".utf8); return }
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                json.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        json.append(UInt8(ascii: "\""))
        digits(Int(parts.tm_year) + 1900, 4); json.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); json.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); json.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); json.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); json.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); json.append(UInt8(ascii: "."))
        digits(milliseconds % 1000, 3); json += Array("Z\"".utf8)
    }
}
