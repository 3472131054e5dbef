/// Makes `documentId` values in Strapi's format: 24 lowercase alphanumerics starting with a
/// letter (cuid2's shape). Injected so tests can be deterministic.
public protocol DocumentIDGenerator: Sendable {
    func next() -> String
}

/// The default generator, backed by the system's secure random source.
public struct RandomDocumentIDGenerator: DocumentIDGenerator {
    private static let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public init() {}

    public func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        bytes.append(Self.letters.randomElement(using: &generator)!)
        for _ in 1..<24 { bytes.append(Self.alphabet.randomElement(using: &generator)!) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `value` has the shape of a documentId.
    public static func isValid(_ value: String) -> Bool {
        let utf8 = Array(value.utf8)
        guard utf8.count == 24, letters.contains(utf8[0]) else { return false }
        return utf8.allSatisfy { alphabet.contains($0) }
    }
}
