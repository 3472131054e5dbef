import Crypto
import Foundation
import StrataCore

/// Strata's authenticated archive encryption (`--encryption aes-256-gcm`): detects any change to
/// the file, including truncation, which Strapi's headerless AES-ECB cannot.
///
/// Layout (all integers big-endian):
/// ```
/// "STRATAGC"  8 bytes magic
/// version     1 byte  (1)
/// log2 N      1 byte  scrypt cost
/// r, p        1 byte each
/// salt        16 bytes, random per file
/// chunk size  4 bytes (plaintext bytes per chunk)
/// nonce seed  4 bytes, random per file
/// chunks      AES-256-GCM(chunk) ‖ tag, nonce = seed ‖ counter (8 bytes),
///             AAD = header ‖ final flag (1 byte)
/// ```
/// Every chunk but the last holds exactly `chunk size` bytes; the last is shorter (possibly
/// empty) and is sealed with the final flag, so dropping or reordering chunks fails to open.
public enum SealedCipher {
    static let magic = Array("STRATAGC".utf8)
    static let headerSize = 36
    static let tagSize = 16
    public static let defaultChunkSize = 64 * 1024

    /// Whether a file starts with this format's magic.
    public static func matches(_ head: [UInt8]) -> Bool { head.starts(with: magic) }

    static func header(logN: UInt8, r: UInt8, p: UInt8, salt: [UInt8], chunkSize: Int, seed: [UInt8]) -> [UInt8] {
        var bytes = magic
        bytes += [1, logN, r, p]
        bytes += salt
        bytes += withUnsafeBytes(of: UInt32(chunkSize).bigEndian) { Array($0) }
        bytes += seed
        return bytes
    }

    static func nonce(seed: [UInt8], counter: UInt64) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: seed + withUnsafeBytes(of: counter.bigEndian) { Array($0) })
    }
}

/// Encrypts with ``SealedCipher``.
public final class SealedEncryptingSink: ByteSink {
    private let next: any ByteSink
    private let key: SymmetricKey
    private let header: [UInt8]
    private let seed: [UInt8]
    private let chunkSize: Int
    private var counter: UInt64 = 0
    private var pending: [UInt8] = []

    public init(_ next: any ByteSink, passphrase: String, chunkSize: Int = SealedCipher.defaultChunkSize, logN: UInt8 = 15) throws {
        self.next = next
        self.chunkSize = chunkSize
        let salt = Secrets.randomBytes(16)
        seed = Secrets.randomBytes(4)
        header = SealedCipher.header(logN: logN, r: 8, p: 1, salt: salt, chunkSize: chunkSize, seed: seed)
        key = try ArchiveKey.scrypt(passphrase, salt: salt, byteCount: 32, logN: logN)
        try next.write(header)
    }

    public func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        var offset = 0
        // A chunk is sealed only once more data follows it, so the final one is known at close.
        while pending.count - offset > chunkSize {
            try seal(pending[offset..<(offset + chunkSize)], final: false)
            offset += chunkSize
        }
        if offset > 0 { pending.removeFirst(offset) }
    }

    public func close() throws {
        if pending.count == chunkSize {
            try seal(pending[...], final: false)
            pending = []
        }
        try seal(pending[...], final: true)
        pending = []
        try next.close()
    }

    private func seal(_ chunk: ArraySlice<UInt8>, final: Bool) throws {
        let box = try AES.GCM.seal(chunk, using: key, nonce: try SealedCipher.nonce(seed: seed, counter: counter), authenticating: header + [final ? 1 : 0])
        counter += 1
        try next.write(Array(box.ciphertext) + Array(box.tag))
    }
}

/// Decrypts ``SealedCipher`` files; any modification is reported as ``ArchiveError/tampered(_:)``.
public final class SealedDecryptingSource: ByteSource {
    private let upstream: any ByteSource
    private let key: SymmetricKey
    private let header: [UInt8]
    private let seed: [UInt8]
    private let chunkSize: Int
    private let path: String
    private var counter: UInt64 = 0
    private var done = false
    private var buffered: [UInt8] = []
    private var bufferedOffset = 0

    /// `head` is the first bytes already read by format detection.
    public init(_ upstream: any ByteSource, head: [UInt8], passphrase: String, path: String) throws {
        self.upstream = upstream
        self.path = path
        var header = head
        header += try upstream.readFully(SealedCipher.headerSize - head.count)
        guard header.count == SealedCipher.headerSize, SealedCipher.matches(header) else {
            throw ArchiveError.truncated("the encryption header is cut short")
        }
        guard header[8] == 1 else { throw ArchiveError.notAnArchive(path) }
        let logN = header[9], r = Int(header[10]), p = Int(header[11])
        guard (10...22).contains(logN), (1...32).contains(r), (1...16).contains(p) else { throw ArchiveError.tampered(path) }
        // The header is only authenticated by the key these parameters derive: bound what a crafted
        // one can cost before that (1 GiB of scrypt memory, 32 times this exporter's work).
        let blocks = r << Int(logN)
        guard 128 * blocks <= 1 << 30, p * blocks <= 1 << 23 else { throw ArchiveError.tampered(path) }
        let salt = Array(header[12..<28])
        chunkSize = Int(header[28]) << 24 | Int(header[29]) << 16 | Int(header[30]) << 8 | Int(header[31])
        guard (1...(16 << 20)).contains(chunkSize) else { throw ArchiveError.tampered(path) }
        seed = Array(header[32..<36])
        self.header = header
        key = try ArchiveKey.scrypt(passphrase, salt: salt, byteCount: 32, logN: logN, r: r, p: p)
    }

    public func read(upTo count: Int) throws -> [UInt8] {
        while buffered.isEmpty && !done {
            let sealedSize = chunkSize + SealedCipher.tagSize
            let chunk = try upstream.readFully(sealedSize)
            let final = chunk.count < sealedSize
            guard chunk.count >= SealedCipher.tagSize else {
                // Cut at a chunk boundary (or inside a tag): the final chunk is missing.
                throw ArchiveError.tampered(path)
            }
            let box = try AES.GCM.SealedBox(
                nonce: try SealedCipher.nonce(seed: seed, counter: counter),
                ciphertext: chunk.dropLast(SealedCipher.tagSize),
                tag: chunk.suffix(SealedCipher.tagSize)
            )
            do {
                buffered = Array(try AES.GCM.open(box, using: key, authenticating: header + [final ? 1 : 0]))
            } catch {
                throw counter == 0 ? ArchiveError.wrongKey(path) : ArchiveError.tampered(path)
            }
            counter += 1
            if final {
                done = true
                guard try upstream.read(upTo: 1).isEmpty else { throw ArchiveError.tampered(path) }
            }
        }
        let take = min(count, buffered.count - bufferedOffset)
        defer {
            bufferedOffset += take
            if bufferedOffset == buffered.count {
                buffered = []
                bufferedOffset = 0
            }
        }
        return Array(buffered[bufferedOffset..<(bufferedOffset + take)])
    }
}
