import Foundation
import StrataCore
import StrataTesting

/// Bytes of an image under Tests/Fixtures/images.
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images/\(name)")
    return [UInt8](try Data(contentsOf: url))
}

/// A tiny but valid one-page PDF.
let pdfBytes = Array("""
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
""".utf8)

/// A project with an article that has single and multiple media fields, and a component with media.
func mediaProject(config: [String: JSONValue] = [:], files: [String: String] = [:]) -> TestProject {
    TestProject(
        contentTypes: [
            ("api::article.article", TestProject.collectionType("article", attributes: [
                "title": ["type": "string"],
                "cover": ["type": "media", "multiple": false, "allowedTypes": ["images"]],
                "gallery": ["type": "media", "multiple": true],
            ])),
        ],
        config: config,
        files: files
    )
}

/// One file part per fixture, named as given.
func multipart(_ files: [(filename: String, mime: String?, bytes: [UInt8])], fields: [(String, String)] = []) -> MultipartBody {
    var body = MultipartBody()
    for (name, value) in fields { body.field(name, value) }
    for file in files { body.file(filename: file.filename, contentType: file.mime, bytes: file.bytes) }
    return body
}

extension JSONValue {
    var int: Int64? { intValue }
    var string: String? { stringValue }
}
