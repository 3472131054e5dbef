/// How an archive file is layered: tar, optionally gzip, optionally encrypted.
public struct ArchiveFormat: Sendable, Equatable {
    public enum Encryption: String, Sendable, CaseIterable {
        /// Released Strapi's AES-128-ECB (the default, readable by `strapi import`).
        case strapi = "aes-128-ecb"
        /// Strata's authenticated AES-256-GCM format (tamper-evident; Strata only).
        case sealed = "aes-256-gcm"
    }

    public var compressed: Bool
    public var encryption: Encryption?

    public init(compressed: Bool, encryption: Encryption?) {
        self.compressed = compressed
        self.encryption = encryption
    }

    /// `.tar`, `.tar.gz`, `.tar.gz.enc`… as Strapi names its files.
    public var fileExtension: String {
        ".tar" + (compressed ? ".gz" : "") + (encryption != nil ? ".enc" : "")
    }

    /// Reads the layers from a file name, like `strapi import` does (the extension is the only
    /// signal Strapi uses; the cipher variant is detected from the file's first bytes).
    public static func detect(fileName path: String) throws(ArchiveError) -> (compressed: Bool, encrypted: Bool) {
        var name = Substring(path)
        let encrypted = name.hasSuffix(".enc")
        if encrypted { name = name.dropLast(4) }
        let compressed = name.hasSuffix(".gz")
        if compressed { name = name.dropLast(3) }
        guard name.hasSuffix(".tar") else { throw .invalidExtension(path) }
        return (compressed, encrypted)
    }
}
