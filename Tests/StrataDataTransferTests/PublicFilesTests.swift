import Foundation
import StrataTesting
import Testing

/// `public/` (where imports put `uploads/`) is served at the root, and only what is inside it:
/// symbolic links that resolve outside the folder are not followed.
@Suite("public/ serves nothing outside itself")
struct PublicFilesTests {
    @Test func symlinksLeavingPublicAreNotFound() async throws {
        let outside = try temporaryDirectory()
        try Data("outside secret\n".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        let project = TestProject(files: [
            "public/robots.txt": "User-Agent: *\n",
            "public/docs/index.html": "<p>docs</p>",
            "notes.txt": "project secret\n",
        ])
        try await TestStrata.run(project) { strata, client in
            let publicFolder = strata.directory + "/public"
            let links = [
                "passwd": "/etc/passwd",
                "secret.txt": outside.path + "/secret.txt",
                "folder": outside.path,
                "relative.txt": "../notes.txt",
                "uploads/up": "../..",
                "alias.txt": "robots.txt",
                "site": "docs",
            ]
            for (link, target) in links {
                try FileManager.default.createSymbolicLink(atPath: publicFolder + "/" + link, withDestinationPath: target)
            }
            for path in ["/passwd", "/secret.txt", "/folder/secret.txt", "/folder/", "/folder", "/relative.txt", "/uploads/up/notes.txt", "/uploads/up/"] {
                let response = try await client.get(path)
                #expect(response.status == 404, "\(path): \(response.status) \(response.text)")
                #expect(!response.text.contains("secret") && !response.text.contains("root:"), "\(path): \(response.text)")
            }
            // Links that stay inside public/ are served, and so is everything else.
            #expect(try await client.get("/robots.txt").text == "User-Agent: *\n")
            #expect(try await client.get("/alias.txt").text == "User-Agent: *\n")
            #expect(try await client.get("/site/index.html").text == "<p>docs</p>")
            #expect(try await client.get("/docs/index.html").text == "<p>docs</p>")
            #expect(try await client.get("/nothing.txt").status == 404)
            #expect(try await client.get("/robots.txt%00.png").status == 404)
        }
    }
}
