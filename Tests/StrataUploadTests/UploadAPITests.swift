import Crypto
import Foundation
import HTTPTypes
import StrataCore
import StrataDocuments
import StrataServer
import StrataUpload
import StrataTesting
import Testing

@Suite("Upload API: POST /api/upload and the files routes")
struct UploadAPITests {
    @Test("a PNG upload returns 201 and a bare array of Strapi file objects, stored under public/uploads and served at its url")
    func uploadPNG() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let bytes = try fixture("small.png")
            let response = try await client.send(.post, "/api/upload", multipart: multipart([("small.png", "image/png", bytes)]))
            #expect(response.status == 201, "\(response.text)")
            let file = try #require(response.json?[0])
            #expect(response.json?.arrayValue?.count == 1)
            #expect(file["name"] == "small.png")
            #expect(file["ext"] == ".png")
            #expect(file["mime"] == "image/png")
            #expect(file["width"] == 400)
            #expect(file["height"] == 300)
            #expect(file["size"] == .double(166.63))
            #expect(file["provider"] == "local")
            #expect(file["provider_metadata"] == .null)
            #expect(file["previewUrl"] == .null)
            #expect(file["alternativeText"] == .null)
            #expect(file["documentId"]?.string?.isEmpty == false)
            #expect(file["publishedAt"]?.string != nil)
            #expect(file["folderPath"] == nil, "folderPath is private")
            let hash = try #require(file["hash"]?.string)
            #expect(hash.hasPrefix("small_"))
            #expect(hash.count == "small_".count + 10)
            #expect(file["url"]?.string == "/uploads/\(hash).png")

            let stored = try Data(contentsOf: URL(fileURLWithPath: "\(strata.directory)/public/uploads/\(hash).png"))
            #expect([UInt8](stored) == bytes)
            let served = try await client.get("/uploads/\(hash).png")
            #expect(served.status == 200)
            #expect(served.header("Content-Type") == "image/png")
            #expect(served.header("ETag") != nil)
            #expect(served.header("Last-Modified") != nil)
            #expect(served.body == bytes)

            // 400×300 is only larger than the thumbnail box: one format, 245×156 "inside".
            let formats = try #require(file["formats"]?.objectValue)
            #expect(formats.keys == ["thumbnail"])
            let thumbnail = try #require(formats["thumbnail"])
            #expect(thumbnail["width"] == 208)
            #expect(thumbnail["height"] == 156)
            #expect(thumbnail["hash"]?.string == "thumbnail_\(hash)")
            #expect(thumbnail["name"] == "thumbnail_small.png")
            #expect(thumbnail["path"] == .null)
            let thumbnailKeys = ["name", "hash", "ext", "mime", "path", "width", "height", "size", "sizeInBytes", "url"]
            #expect(TestStrata.preservesJSONKeyOrder ? thumbnail.objectValue?.keys == thumbnailKeys : Set(thumbnail.objectValue?.keys ?? []) == Set(thumbnailKeys))
            #expect(thumbnail["url"]?.string == "/uploads/thumbnail_\(hash).png")
            let thumbnailBytes = try Data(contentsOf: URL(fileURLWithPath: "\(strata.directory)/public/uploads/thumbnail_\(hash).png"))
            #expect(thumbnail["sizeInBytes"]?.int == Int64(thumbnailBytes.count))
            #expect(thumbnailBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG stays a PNG")
        }
    }

    @Test("a large JPEG gets the thumbnail and every responsive breakpoint smaller than it, with correct dimensions")
    func responsiveFormats() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let response = try await client.send(.post, "/api/upload", multipart: multipart([("Landscape Photo.JPG", "image/jpeg", try fixture("landscape.jpg"))]))
            #expect(response.status == 201, "\(response.text)")
            let file = try #require(response.json?[0])
            #expect(file["ext"] == ".jpg")
            #expect(file["width"] == 1200)
            #expect(file["height"] == 800)
            #expect(file["hash"]?.string?.hasPrefix("Landscape_Photo_") == true, "Strapi keeps the case and joins words with _")
            let formats = try #require(file["formats"]?.objectValue)
            #expect(TestStrata.preservesJSONKeyOrder ? formats.keys == ["thumbnail", "large", "medium", "small"] : Set(formats.keys) == ["thumbnail", "large", "medium", "small"])
            let expected: [String: (Int64, Int64)] = ["thumbnail": (234, 156), "large": (1000, 667), "medium": (750, 500), "small": (500, 333)]
            for (key, size) in expected {
                #expect(formats[key]?["width"]?.int == size.0, "\(key) width")
                #expect(formats[key]?["height"]?.int == size.1, "\(key) height")
                #expect(formats[key]?["mime"] == "image/jpeg")
                let path = "\(strata.directory)/public/uploads/\(formats[key]?["hash"]?.string ?? "")\(".jpg")"
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect(data.starts(with: [0xFF, 0xD8]), "\(key) is a JPEG")
            }
        }
    }

    @Test("breakpoints come from config/plugins.json, a portrait image gets a format when its height exceeds the breakpoint")
    func configuredBreakpoints() async throws {
        let config: [String: JSONValue] = ["plugins": ["upload": ["config": ["breakpoints": ["xlarge": 1920, "tall": 1000, "mini": 100]]]]]
        try await TestStrata.run(mediaProject(config: config)) { _, client in
            let response = try await client.send(.post, "/api/upload", multipart: multipart([("portrait.webp", "image/webp", try fixture("portrait.webp"))]))
            #expect(response.status == 201, "\(response.text)")
            let formats = try #require(response.json?[0]?["formats"]?.objectValue)
            #expect(TestStrata.preservesJSONKeyOrder ? formats.keys == ["thumbnail", "tall", "mini"] : Set(formats.keys) == ["thumbnail", "tall", "mini"],
                    "xlarge is larger than both sides; 300×1100 is taller than 1000")
            #expect(formats["tall"]?["width"] == 273)
            #expect(formats["tall"]?["height"] == 1000)
            #expect(formats["mini"]?["height"] == 100)
            #expect(formats["thumbnail"]?["ext"] == ".webp")
        }
    }

    @Test("SVGs get their dimensions but no formats; GIFs get GIF formats")
    func svgAndGif() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let response = try await client.send(.post, "/api/upload", multipart: multipart([
                ("logo.svg", "image/svg+xml", try fixture("logo.svg")), ("small.gif", "image/gif", try fixture("small.gif")),
            ]))
            #expect(response.status == 201, "\(response.text)")
            #expect(response.json?[0]?["width"] == 320)
            #expect(response.json?[0]?["height"] == 200)
            #expect(response.json?[0]?["formats"] == .null)
            #expect(response.json?[1]?["width"] == 400)
            let thumbnail = try #require(response.json?[1]?["formats"]?["thumbnail"])
            #expect(thumbnail["ext"] == ".gif")
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(strata.directory)/public\(thumbnail["url"]?.string ?? "")"))
            #expect(data.starts(with: Array("GIF8".utf8)))
        }
    }

    @Test("PDFs, small images and corrupt images are stored as plain files without formats")
    func plainFiles() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let response = try await client.send(.post, "/api/upload", multipart: multipart([
                ("report.pdf", "application/pdf", pdfBytes),
                ("tiny.png", "image/png", try fixture("tiny.png")),
                ("broken.png", "image/png", try fixture("corrupt.png")),
            ]))
            #expect(response.status == 201, "\(response.text)")
            let files = try #require(response.json?.arrayValue)
            #expect(files.count == 3)
            #expect(files[0]["mime"] == "application/pdf")
            #expect(files[0]["ext"] == ".pdf")
            #expect(files[0]["width"] == .null)
            #expect(files[0]["formats"] == .null)
            #expect(files[1]["width"] == 100)
            #expect(files[1]["height"] == 80)
            #expect(files[1]["formats"] == .null, "no format is generated for an image smaller than every box")
            #expect(files[2]["width"] == .null, "a truncated PNG is not an image")
            #expect(files[2]["formats"] == .null)
            let brokenURL = try #require(files[2]["url"]?.string)
            #expect(FileManager.default.fileExists(atPath: "\(strata.directory)/public\(brokenURL)"))
            #expect(try await strata.rowCount("files") == 3)
        }
    }

    @Test("fileInfo (a JSON string, one object per file) sets name, alternativeText and caption; names are NFC-normalized")
    func fileInfo() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let info = #"[{"name":"Cafe\#u{301}.png","alternativeText":"A café","caption":"On the corner"},{"alternativeText":"Second"}]"#
            let response = try await client.send(.post, "/api/upload", multipart: multipart(
                [("a.png", "image/png", try fixture("tiny.png")), ("b.png", "image/png", try fixture("tiny.png"))], fields: [("fileInfo", info)]))
            #expect(response.status == 201, "\(response.text)")
            #expect(response.json?[0]?["name"]?.string == "Caf\u{E9}.png")
            #expect(response.json?[0]?["name"]?.string?.unicodeScalars.count == 8, "precomposed é")
            #expect(response.json?[0]?["alternativeText"] == "A café")
            #expect(response.json?[0]?["caption"] == "On the corner")
            #expect(response.json?[0]?["hash"]?.string?.hasPrefix("Cafe_") == true, "the hash is an ASCII slug of the name")
            #expect(response.json?[1]?["name"] == "b.png")
            #expect(response.json?[1]?["alternativeText"] == "Second")

            let invalid = try await client.send(.post, "/api/upload", multipart: multipart([("a.png", "image/png", try fixture("tiny.png"))], fields: [("fileInfo", "{not json")]))
            #expect(invalid.status == 400)
            #expect(invalid.error?["name"] == "ValidationError")
        }
    }

    @Test("uploads go to the API Uploads folder, created once")
    func apiUploadsFolder() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            for _ in 0..<2 {
                let response = try await client.send(.post, "/api/upload", multipart: multipart([("tiny.png", "image/png", try fixture("tiny.png"))]))
                #expect(response.status == 201)
            }
            let folders = try await strata.app.documents(try UID("plugin::upload.folder")).findMany()
            #expect(folders.count == 1)
            #expect(folders.first?["name"] == "API Uploads")
            #expect(folders.first?["path"] == "/1")
            let files = try await strata.app.upload.findMany()
            #expect(files.allSatisfy { $0["folderPath"] == "/1" })
        }
    }

    @Test("ref, refId and field link the upload to an entry's media field, which populates with the file")
    func linkToEntry() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let article = try await client.post("/api/articles", json: ["data": ["title": "Linked"]])
            let id = try #require(article.data?["id"]?.int)
            let documentId = try #require(article.data?["documentId"]?.string)
            let fields = [("ref", "api::article.article"), ("refId", String(id)), ("field", "gallery")]
            let first = try await client.send(.post, "/api/upload", multipart: multipart([("a.png", "image/png", try fixture("tiny.png"))], fields: fields))
            #expect(first.status == 201, "\(first.text)")
            let second = try await client.send(.post, "/api/upload", multipart: multipart([("b.png", "image/png", try fixture("tiny.png"))], fields: fields))
            #expect(second.status == 201)
            let cover = try await client.send(.post, "/api/upload", multipart: multipart(
                [("c.png", "image/png", try fixture("tiny.png"))], fields: [("ref", "api::article.article"), ("refId", String(id)), ("field", "cover")]))
            #expect(cover.status == 201)

            let populated = try await client.get("/api/articles/\(documentId)?populate=*")
            #expect(populated.data?["gallery"]?.arrayValue?.compactMap { $0["name"]?.string } == ["a.png", "b.png"])
            #expect(populated.data?["cover"]?["name"] == "c.png")
            #expect(populated.data?["cover"]?["url"] == cover.json?[0]?["url"])

            let wrongField = try await client.send(.post, "/api/upload", multipart: multipart(
                [("d.png", "image/png", try fixture("tiny.png"))], fields: [("ref", "api::article.article"), ("refId", String(id)), ("field", "title")]))
            #expect(wrongField.status == 400)
            #expect(wrongField.error?["name"] == "ValidationError")
            let missingEntry = try await client.send(.post, "/api/upload", multipart: multipart(
                [("d.png", "image/png", try fixture("tiny.png"))], fields: [("ref", "api::article.article"), ("refId", "999"), ("field", "cover")]))
            #expect(missingEntry.status == 400)
        }
    }

    @Test("GET /api/upload/files filters and sorts, GET /:id finds one, DELETE removes the row, the links and every stored object")
    func findAndDelete() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let upload = try await client.send(.post, "/api/upload", multipart: multipart([
                ("photo.jpg", "image/jpeg", try fixture("landscape.jpg")), ("doc.pdf", "application/pdf", pdfBytes),
            ]))
            #expect(upload.status == 201)
            let photo = try #require(upload.json?[0])
            let photoID = try #require(photo["id"]?.int)

            let all = try await client.get("/api/upload/files?sort=name:asc")
            #expect(all.status == 200)
            #expect(all.json?.arrayValue?.compactMap { $0["name"]?.string } == ["doc.pdf", "photo.jpg"])
            let images = try await client.get("/api/upload/files?filters[mime][$contains]=image")
            #expect(images.json?.arrayValue?.compactMap { $0["name"]?.string } == ["photo.jpg"])
            let byHash = try await client.get("/api/upload/files?filters[hash][$eq]=\(photo["hash"]?.string ?? "")")
            #expect(byHash.json?.arrayValue?.count == 1)
            let page = try await client.get("/api/upload/files?sort=name:asc&pagination[page]=2&pagination[pageSize]=1")
            #expect(page.json?.arrayValue?.compactMap { $0["name"]?.string } == ["photo.jpg"])
            let badFilter = try await client.get("/api/upload/files?filters[nope][$eq]=1")
            #expect(badFilter.status == 400)

            let one = try await client.get("/api/upload/files/\(photoID)")
            #expect(one.status == 200)
            #expect(one.json?["name"] == "photo.jpg")
            #expect(try await client.get("/api/upload/files/9999").status == 404)
            #expect(try await client.get("/api/upload/files/abc").status == 404)

            let article = try await client.post("/api/articles", json: ["data": ["title": "With cover", "cover": .int(photoID)]])
            #expect(article.status == 201)
            let uploads = "\(strata.directory)/public/uploads"
            let before = try FileManager.default.contentsOfDirectory(atPath: uploads).filter { $0.contains("photo_") }
            #expect(before.count == 5, "original + 4 formats")

            let deleted = try await client.delete("/api/upload/files/\(photoID)")
            #expect(deleted.status == 200)
            #expect(deleted.json?["id"]?.int == photoID)
            let after = try FileManager.default.contentsOfDirectory(atPath: uploads).filter { $0.contains("photo_") }
            #expect(after.isEmpty)
            #expect(try await client.get("/api/upload/files/\(photoID)").status == 404)
            #expect(try await strata.rowCount("files_related_mph") == 0)
            let documentId = try #require(article.data?["documentId"]?.string)
            let unlinked = try await client.get("/api/articles/\(documentId)?populate=cover")
            #expect(unlinked.data?["cover"] == .null)
            #expect(try await client.delete("/api/upload/files/\(photoID)").status == 404)
        }
    }

    @Test("POST /api/upload?id= replaces the bytes keeping hash and url, or edits fileInfo alone")
    func replaceAndEdit() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let upload = try await client.send(.post, "/api/upload", multipart: multipart([("pic.jpg", "image/jpeg", try fixture("landscape.jpg"))]))
            let original = try #require(upload.json?[0])
            let id = try #require(original["id"]?.int)

            let replaced = try await client.send(.post, "/api/upload?id=\(id)", multipart: multipart([("other.png", "image/png", try fixture("small.png"))]))
            #expect(replaced.status == 200, "\(replaced.text)")
            #expect(replaced.json?["hash"] == original["hash"])
            #expect(replaced.json?["url"] == original["url"])
            #expect(replaced.json?["ext"] == ".jpg", "Strapi keeps the extension so the URL does not change")
            #expect(replaced.json?["width"] == 400)
            #expect(replaced.json?["name"] == "pic.jpg")
            #expect(replaced.json?["formats"]?.objectValue?.keys == ["thumbnail"])
            let uploads = try FileManager.default.contentsOfDirectory(atPath: "\(strata.directory)/public/uploads")
            #expect(uploads.filter { $0.hasPrefix("large_") || $0.hasPrefix("medium_") || $0.hasPrefix("small_pic") }.isEmpty, "formats the new image lacks are removed")
            let stored = try Data(contentsOf: URL(fileURLWithPath: "\(strata.directory)/public\(original["url"]?.string ?? "")"))
            #expect([UInt8](stored) == (try fixture("small.png")))

            var form = MultipartBody()
            form.field("fileInfo", #"{"name":"renamed.jpg","alternativeText":"alt","caption":null}"#)
            let edited = try await client.send(.post, "/api/upload?id=\(id)", multipart: form)
            #expect(edited.status == 200, "\(edited.text)")
            #expect(edited.json?["name"] == "renamed.jpg")
            #expect(edited.json?["alternativeText"] == "alt")
            #expect(edited.json?["hash"] == original["hash"])
            let json = try await client.post("/api/upload?id=\(id)", json: ["fileInfo": ["caption": "From JSON"]])
            #expect(json.status == 200)
            #expect(json.json?["caption"] == "From JSON")
            #expect(json.json?["name"] == "renamed.jpg")

            let two = try await client.send(.post, "/api/upload?id=\(id)", multipart: multipart([("a.png", "image/png", try fixture("tiny.png")), ("b.png", "image/png", try fixture("tiny.png"))]))
            #expect(two.status == 400)
            #expect(two.error?["message"] == "Cannot replace a file with multiple ones")
            #expect(try await client.post("/api/upload?id=999", json: ["fileInfo": ["name": "x"]]).status == 404)
            let badName = try await client.post("/api/upload?id=\(id)", json: ["fileInfo": ["name": "../../etc/passwd"]])
            #expect(badName.status == 400)
            #expect(badName.error?["message"] == "File name contains invalid characters")
        }
    }

    @Test("no files is a 400 ValidationError 'Files are empty'; malformed and truncated bodies are 400s that store nothing")
    func badRequests() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            var empty = MultipartBody()
            empty.field("fileInfo", "{}")
            let none = try await client.send(.post, "/api/upload", multipart: empty)
            #expect(none.status == 400)
            #expect(none.error?["name"] == "ValidationError")
            #expect(none.error?["message"] == "Files are empty")
            #expect(try await client.post("/api/upload", json: [:]).status == 400)

            let body = multipart([("tiny.png", "image/png", try fixture("tiny.png"))])
            let truncated = Array(body.finished.prefix(body.finished.count - 400))
            let cut = try await client.send(.post, "/api/upload", bytes: truncated, contentType: body.contentType)
            #expect(cut.status == 400, "\(cut.text)")
            let noBoundary = try await client.send(.post, "/api/upload", bytes: body.finished, contentType: "multipart/form-data")
            #expect(noBoundary.status == 400)
            #expect(try await strata.rowCount("files") == 0)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(strata.directory)/public/uploads")
            #expect(leftovers.isEmpty)
        }
    }

    @Test("when the database write fails, the upload leaves neither rows nor stored files behind")
    func failedWriteCleansUp() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            let existing = try await client.send(.post, "/api/upload", multipart: multipart([("keep.png", "image/png", try fixture("tiny.png"))]))
            #expect(existing.status == 201)
            let uploads = "\(strata.directory)/public/uploads"
            let before = try FileManager.default.contentsOfDirectory(atPath: uploads)
            // The second file of the batch fails inside the transaction, after both were stored.
            strata.app.upload.documents.use { context, next in
                if context.action == .create, context.uid == UploadService.fileUID, context.params.data?["name"] == "second.jpg" {
                    throw ApplicationError("simulated database failure")
                }
                return try await next(context)
            }
            let response = try await client.send(.post, "/api/upload", multipart: multipart([
                ("first.jpg", "image/jpeg", try fixture("landscape.jpg")), ("second.jpg", "image/jpeg", try fixture("landscape.jpg")),
            ]))
            #expect(response.status == 400)
            #expect(try await strata.rowCount("files") == 1, "the first file's row was rolled back too")
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads).sorted() == before.sorted(), "both files and their formats were removed")
        }
    }

    @Test("files over sizeLimit are a 413 PayloadTooLargeError naming the file, and nothing is stored")
    func sizeLimit() async throws {
        let config: [String: JSONValue] = ["plugins": ["upload": ["config": ["sizeLimit": 50_000]]]]
        try await TestStrata.run(mediaProject(config: config)) { strata, client in
            let response = try await client.send(.post, "/api/upload", multipart: multipart([
                ("tiny.png", "image/png", try fixture("tiny.png")), ("big.png", "image/png", try fixture("small.png")),
            ]))
            #expect(response.status == 413)
            #expect(response.error?["name"] == "PayloadTooLargeError")
            #expect(response.error?["message"] == "big.png exceeds size limit of 50 KB.")
            #expect(try await strata.rowCount("files") == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(strata.directory)/public/uploads").isEmpty)
            let fits = try await client.send(.post, "/api/upload", multipart: multipart([("tiny.png", "image/png", try fixture("tiny.png"))]))
            #expect(fits.status == 201)
        }
    }

    @Test("a 6 MB binary upload (CR bytes everywhere) streams to disk intact")
    func largeFile() async throws {
        try await TestStrata.run(mediaProject()) { strata, client in
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<(6 * 1024 * 1024 / 8)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
            let response = try await client.send(.post, "/api/upload", multipart: multipart([("video.mp4", nil, bytes)]))
            #expect(response.status == 201, "\(response.text)")
            #expect(response.json?[0]?["mime"] == "video/mp4", "the type comes from the extension when the part has none")
            #expect(response.json?[0]?["size"] == .double(6291.46))
            let path = "\(strata.directory)/public\(response.json?[0]?["url"]?.string ?? "")"
            let stored = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(SHA256.hash(data: stored) == SHA256.hash(data: bytes))
        }
    }

    @Test("client file names cannot escape the uploads folder, and /uploads serves no traversal, listing or absolute paths")
    func traversal() async throws {
        try await TestStrata.run(mediaProject(files: ["public/secret.txt": "top secret", "config/keys.json": #"{"k":1}"#])) { strata, client in
            var body = MultipartBody()
            body.file(filename: "", bytes: Array("one".utf8), disposition: #"form-data; name="files"; filename="../../config/evil.txt""#)
            body.file(filename: "", bytes: Array("two".utf8), disposition: #"form-data; name="files"; filename="/etc/passwd""#)
            body.file(filename: "", bytes: Array("three".utf8), disposition: #"form-data; name="files"; filename="..\\..\\win.ini""#)
            body.file(filename: "", bytes: Array("four".utf8), disposition: #"form-data; name="files"; filename*=UTF-8''%2E%2E%2F%2E%2E%2Fencoded.txt"#)
            let response = try await client.send(.post, "/api/upload", multipart: body)
            #expect(response.status == 201, "\(response.text)")
            #expect(response.json?.arrayValue?.compactMap { $0["name"]?.string } == ["evil.txt", "passwd", "win.ini", "encoded.txt"])
            #expect(!FileManager.default.fileExists(atPath: "\(strata.directory)/config/evil.txt"))
            for file in response.json?.arrayValue ?? [] {
                let url = try #require(file["url"]?.string)
                #expect(url.hasPrefix("/uploads/") && !url.dropFirst(9).contains("/"))
            }
            for path in ["/uploads/../config/keys.json", "/uploads/%2e%2e/config/keys.json", "/uploads/..%2fconfig%2fkeys.json", "/uploads/", "/uploads//etc/passwd"] {
                let served = try await client.get(path)
                #expect(served.status == 404 || served.status == 400, "\(path) → \(served.status)")
                #expect(!served.text.contains("\"k\""), "\(path) leaked a file")
            }
            _ = strata
        }
    }

    @Test("the upload routes are permission-gated like Strapi's plugin::upload.content-api actions")
    func permissions() async throws {
        var project = mediaProject()
        project.enforceAccess = true
        try await TestStrata.run(project) { strata, client in
            let body = multipart([("tiny.png", "image/png", try fixture("tiny.png"))])
            let denied = try await client.send(.post, "/api/upload", multipart: body)
            #expect(denied.status == 403)
            #expect(try await client.get("/api/upload/files").status == 403)
            try await strata.grant("public", "plugin::upload.content-api.upload", "plugin::upload.content-api.find")
            let allowed = try await client.send(.post, "/api/upload", multipart: body)
            #expect(allowed.status == 201)
            #expect(try await client.get("/api/upload/files").json?.arrayValue?.count == 1)
            #expect(try await client.delete("/api/upload/files/1").status == 403)
            let token = try await strata.createToken("ro", type: .readOnly)
            #expect(try await client.get("/api/upload/files", authorization: "Bearer \(token)").status == 200)
            #expect(try await client.send(.post, "/api/upload", multipart: body, authorization: "Bearer \(token)").status == 403)
        }
    }

    @Test("a Range request on an uploaded file returns 206 with the requested bytes")
    func rangeRequests() async throws {
        try await TestStrata.run(mediaProject()) { _, client in
            let bytes = try fixture("small.png")
            let upload = try await client.send(.post, "/api/upload", multipart: multipart([("small.png", "image/png", bytes)]))
            let url = try #require(upload.json?[0]?["url"]?.string)
            var headers = HTTPFields()
            headers[.range] = "bytes=0-9"
            let partial = try await client.send(.get, url, headers: headers)
            #expect(partial.status == 206)
            #expect(partial.body == Array(bytes.prefix(10)))
            let etag = try #require(partial.header("ETag"))
            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = etag
            #expect(try await client.send(.get, url, headers: conditional).status == 304)
        }
    }
}
