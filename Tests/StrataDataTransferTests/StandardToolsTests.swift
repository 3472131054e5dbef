import Foundation
import StrataDataTransfer
import StrataTesting
import Testing

/// Our encrypted archives are Strapi's documented format, not a private one: standard tools
/// (Python's scrypt, openssl's AES-128-ECB, gzip, tar) read them.
@Suite("Archives read by standard tools")
struct StandardToolsTests {
    @Test func opensslDecryptsOurEncryptedArchive() async throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("export.tar.gz.enc").path
        try await TestStrata.run(try Fixtures.epicProject()) { strata, _ in
            _ = try await strata.importer.import(from: Fixtures.epicArchive, key: nil)
            _ = try await strata.exporter.export(to: path, format: ArchiveFormat(compressed: true, encryption: .strapi), key: "s3cret passphrase")
        }
        let script = """
        set -euo pipefail
        key=$(python3 -c 'import hashlib,sys; print(hashlib.scrypt(sys.argv[1].encode(), salt=b"", n=16384, r=8, p=1, dklen=16).hex())' 's3cret passphrase')
        openssl enc -d -aes-128-ecb -K "$key" -in "$1" | gzip -dc | tar -tf -
        """
        let listing = try run("/bin/bash", ["-c", script, "bash", path])
        let names = listing.split(separator: "\n").map(String.init)
        #expect(names.first == "schemas/schemas_00001.jsonl")
        #expect(names.last == "metadata.json")
        #expect(names.contains("assets/uploads/pexels_anna_nekrashevich_7552374_00d755b030.jpg"))
        #expect(names.contains("entities/entities_00001.jsonl"))
    }

    @Test func opensslEncryptedArchiveImports() async throws {
        // The other direction: a file encrypted by openssl the way Strapi does imports here.
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("strapi.tar.gz.enc").path
        let script = """
        set -euo pipefail
        key=$(python3 -c 'import hashlib; print(hashlib.scrypt(b"password", salt=b"", n=16384, r=8, p=1, dklen=16).hex())')
        openssl enc -aes-128-ecb -K "$key" -in "$1" -out "$2"
        """
        _ = try run("/bin/bash", ["-c", script, "bash", Fixtures.epicArchive, path])
        try await TestStrata.run(try Fixtures.epicProject()) { strata, _ in
            let summary = try await strata.importer.import(from: path, key: "password")
            #expect(summary.entities.count == 19)
            #expect(summary.assets.count == 5)
        }
    }
}
