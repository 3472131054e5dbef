import Foundation
@testable import StrataUpload
@testable import StrataUploadAPI
import Testing

@Suite("File naming and multipart headers")
struct NamingTests {
    @Test("hashes are ASCII slugs of the name with 10 hex digits, case kept, like Strapi's generateFileName")
    func hashes() {
        #expect(FileNaming.hash(forBaseName: "My Photo (1)", random: [0xde, 0xad, 0xbe, 0xef, 0x01]) == "My_Photo_1_deadbeef01")
        #expect(FileNaming.hash(forBaseName: "Crème brûlée", random: [0, 0, 0, 0, 0]) == "Creme_brulee_0000000000")
        #expect(FileNaming.hash(forBaseName: "Привет мир", random: [1, 2, 3, 4, 5]) == "Privet_mir_0102030405")
        #expect(FileNaming.hash(forBaseName: "   ", random: [1, 2, 3, 4, 5]) == "0102030405", "nothing to slug: the random part alone")
        #expect(FileNaming.hash(forBaseName: "x").count == "x_".count + 10)
    }

    @Test("extensions, base names and types")
    func extensions() {
        #expect(FileNaming.ext(of: "photo.JPG") == ".jpg")
        #expect(FileNaming.ext(of: "archive.tar.gz") == ".gz")
        #expect(FileNaming.ext(of: ".hidden") == nil)
        #expect(FileNaming.ext(of: "README") == nil)
        #expect(FileNaming.ext(of: "name.with space") == nil, "not an extension")
        #expect(FileNaming.baseName(of: "photo.final.png") == "photo.final")
        #expect(FileNaming.mime(forExtension: ".webp") == "image/webp")
        #expect(FileNaming.mime(forExtension: ".unknown") == "application/octet-stream")
        #expect(FileNaming.ext(forMime: "image/jpeg; charset=binary") == ".jpg")
        #expect(UploadService.humanReadable(1_000_000_000) == "1 GB")
        #expect(UploadService.humanReadable(50_000) == "50 KB")
        #expect(UploadService.kilobytes(166_627) == 166.63)
    }

    @Test("Content-Disposition: quoted, escaped, RFC 5987 and path-carrying file names")
    func contentDisposition() {
        #expect(ContentDisposition(#"form-data; name="files"; filename="a b.png""#) == ContentDisposition(name: "files", filename: "a b.png"))
        #expect(ContentDisposition(#"form-data; name="files"; filename="semi;colon \"q\".png""#).filename == #"semi;colon "q".png"#)
        #expect(ContentDisposition(#"form-data; name=files; filename=plain.txt"#) == ContentDisposition(name: "files", filename: "plain.txt"))
        #expect(ContentDisposition(#"form-data; name="files"; filename="x.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt"#).filename == "€ rates.txt")
        #expect(ContentDisposition(#"form-data; name="files"; filename="C:\\Users\\me\\cv.pdf""#).filename == "cv.pdf")
        #expect(ContentDisposition(#"form-data; name="fileInfo""#).filename == nil)
        #expect(MultipartUpload.boundary(of: #"multipart/form-data; boundary="--abc""#) == "--abc")
        #expect(MultipartUpload.boundary(of: "application/json") == nil)
    }
}
