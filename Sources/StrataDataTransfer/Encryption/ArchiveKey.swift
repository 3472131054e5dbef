public import Crypto
import _CryptoExtras

/// Key derivation for encrypted archives: scrypt as Node's `crypto.scryptSync` defaults
/// (N = 16384, r = 8, p = 1), which is what Strapi's `strapi export` uses.
public enum ArchiveKey {
    public static func scrypt(_ passphrase: String, salt: [UInt8] = [], byteCount: Int, logN: UInt8 = 14, r: Int = 8, p: Int = 1) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Array(passphrase.utf8), salt: salt, outputByteCount: byteCount,
            rounds: 1 << Int(logN), blockSize: r, parallelism: p
        )
    }
}
