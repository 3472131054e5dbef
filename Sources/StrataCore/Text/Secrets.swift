import Foundation

/// Random bytes for secrets, tokens and file hashes, from the system's secure generator.
public enum Secrets {
    /// `count` random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// `count` random bytes as lowercase hex (Strapi's `crypto.randomBytes(n).toString('hex')`).
    public static func hex(bytes count: Int) -> String {
        randomBytes(count).hexString
    }

    /// `count` random bytes, base64-encoded (the shape of Strapi's generated `.env` secrets).
    public static func base64(bytes count: Int) -> String {
        Data(randomBytes(count)).base64EncodedString()
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits per byte (Node's `buffer.toString('hex')`).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
