import Crypto
import _CryptoExtras

/// Released Strapi's archive encryption: AES-128-ECB with PKCS#7 padding over the whole
/// (compressed) tar stream, key = scrypt(passphrase, salt, 16 bytes). The salt is empty for
/// every released Strapi; headered files (`STRAPI2\0`, `STRAPIEX`) carry their own.
public final class StrapiEncryptingSink: ByteSink {
    private let next: any ByteSink
    private let key: SymmetricKey
    private var pending: [UInt8] = []

    public init(_ next: any ByteSink, passphrase: String) throws {
        self.next = next
        key = try ArchiveKey.scrypt(passphrase, byteCount: 16)
    }

    public func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        let whole = pending.count - pending.count % 16
        guard whole > 0 else { return }
        try next.write(try ECB.encrypt(pending[0..<whole], key: key))
        pending.removeFirst(whole)
    }

    public func close() throws {
        let padding = 16 - pending.count % 16
        pending.append(contentsOf: [UInt8](repeating: UInt8(padding), count: padding))
        try next.write(try ECB.encrypt(pending[...], key: key))
        pending = []
        try next.close()
    }
}

/// Decrypts Strapi's AES-128-ECB archives. The last block is held back until the end of the
/// stream so its padding can be checked: a bad padding means a wrong key.
public final class StrapiDecryptingSource: ByteSource {
    private let upstream: any ByteSource
    private let key: SymmetricKey
    private let path: String
    private var carry: [UInt8] = []
    private var ended = false

    public init(_ upstream: any ByteSource, passphrase: String, salt: [UInt8] = [], path: String) throws {
        self.upstream = upstream
        self.path = path
        key = try ArchiveKey.scrypt(passphrase, salt: salt, byteCount: 16)
    }

    /// Reads an optional header (`STRAPI2\0` or `STRAPIEX`) and returns the matching source.
    public static func open(_ upstream: any ByteSource, passphrase: String, path: String) throws -> StrapiDecryptingSource {
        let head = try upstream.readFully(8)
        let magic = String(decoding: head, as: UTF8.self)
        if head.count == 8 && magic == "STRAPI2\0" {
            let fields = try upstream.readFully(2)
            guard fields.count == 2, fields[0] == 2, fields[1] > 0 else { throw ArchiveError.wrongKey(path) }
            let salt = try upstream.readFully(Int(fields[1]))
            guard salt.count == Int(fields[1]) else { throw ArchiveError.truncated("the encryption header is cut short") }
            return try StrapiDecryptingSource(upstream, passphrase: passphrase, salt: salt, path: path)
        }
        if head.count == 8 && magic == "STRAPIEX" {
            let fixed = try upstream.readFully(4)
            guard fixed.count == 4, fixed[0] == 1 else { throw ArchiveError.notAnArchive(path) }
            let headerLength = Int(fixed[1]) << 8 | Int(fixed[2])
            guard headerLength >= 12 else { throw ArchiveError.notAnArchive(path) }
            let body = try upstream.readFully(headerLength - 12)
            guard body.count == headerLength - 12 else { throw ArchiveError.truncated("the encryption header is cut short") }
            var salt: [UInt8]?
            var index = 0
            while index + 2 <= body.count {
                let type = body[index], length = Int(body[index + 1])
                guard index + 2 + length <= body.count else { throw ArchiveError.notAnArchive(path) }
                let value = Array(body[(index + 2)..<(index + 2 + length)])
                switch type {
                case 0x01: salt = value
                case 0x02, 0x03:
                    // Only scrypt with Node's defaults and AES-128-ECB are defined.
                    guard value == [0] else { throw ArchiveError.notAnArchive(path) }
                default: break
                }
                index += 2 + length
            }
            guard let salt else { throw ArchiveError.notAnArchive(path) }
            return try StrapiDecryptingSource(upstream, passphrase: passphrase, salt: salt, path: path)
        }
        let source = try StrapiDecryptingSource(upstream, passphrase: passphrase, path: path)
        source.carry = head
        return source
    }

    private var plain: [UInt8] = []
    private var plainOffset = 0

    public func read(upTo count: Int) throws -> [UInt8] {
        if plainOffset == plain.count {
            plain = try decryptNext(count)
            plainOffset = 0
        }
        let take = min(count, plain.count - plainOffset)
        defer { plainOffset += take }
        return Array(plain[plainOffset..<(plainOffset + take)])
    }

    private func decryptNext(_ count: Int) throws -> [UInt8] {
        while !ended {
            let chunk = try upstream.read(upTo: max(count, 4096))
            if chunk.isEmpty {
                ended = true
                break
            }
            carry.append(contentsOf: chunk)
            // Keep at least one whole block back for the padding check.
            let available = carry.count - carry.count % 16 - 16
            if available > 0 {
                let plain = try ECB.decrypt(carry[0..<available], key: key)
                carry.removeFirst(available)
                return plain
            }
        }
        guard !carry.isEmpty else { return [] }
        guard carry.count % 16 == 0 else { throw ArchiveError.wrongKey(path) }
        var plain = try ECB.decrypt(carry[...], key: key)
        carry = []
        guard let last = plain.last, (1...16).contains(last), plain.count >= Int(last),
              plain.suffix(Int(last)).allSatisfy({ $0 == last })
        else { throw ArchiveError.wrongKey(path) }
        plain.removeLast(Int(last))
        return plain
    }
}

/// The raw AES block function applied block by block.
enum ECB {
    static func encrypt(_ bytes: ArraySlice<UInt8>, key: SymmetricKey) throws -> [UInt8] {
        try transform(bytes, key: key, forward: true)
    }

    static func decrypt(_ bytes: ArraySlice<UInt8>, key: SymmetricKey) throws -> [UInt8] {
        try transform(bytes, key: key, forward: false)
    }

    private static func transform(_ bytes: ArraySlice<UInt8>, key: SymmetricKey, forward: Bool) throws -> [UInt8] {
        precondition(bytes.count % 16 == 0)
        var output = [UInt8](bytes)
        // Each block is permuted in place in the output's storage (no per-block copies).
        try output.withUnsafeMutableBufferPointer { buffer in
            for offset in stride(from: 0, to: buffer.count, by: 16) {
                if forward {
                    try AES.permute(&buffer[offset..<(offset + 16)], key: key)
                } else {
                    try AES.inversePermute(&buffer[offset..<(offset + 16)], key: key)
                }
            }
        }
        return output
    }
}
