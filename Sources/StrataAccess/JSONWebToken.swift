import Crypto
import Foundation
public import StrataCore

/// HS256 JSON Web Tokens as Users & Permissions issues them (`{id, iat, exp}`).
///
/// Signed with swift-crypto's HMAC rather than jwt-kit, because Strapi's generated secrets are
/// often shorter than 32 bytes, which jwt-kit rejects with an assertion. The algorithm is pinned:
/// a token whose header names anything but HS256 is refused.
public struct JSONWebToken: Sendable {
    public let secret: String

    public init(secret: String) {
        self.secret = secret
    }

    /// Signs `claims` (for example `{"id": 1}`), adding `iat` and `exp`.
    public func sign(_ claims: JSONObject, now: Timestamp, expiresIn seconds: Int64) -> String {
        var payload = claims
        let issuedAt = now.millisecondsSince1970 / 1000
        payload["iat"] = .int(issuedAt)
        payload["exp"] = .int(issuedAt.addingReportingOverflow(seconds).overflow ? Int64.max : issuedAt + seconds)
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let body = Self.base64URL(Data(JSONWriter.serialize(.object(payload))))
        let signingInput = header + "." + body
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// The claims of a valid, unexpired token; `nil` for anything else.
    public func verify(_ token: String, now: Timestamp) -> JSONObject? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerData = Self.decodeBase64URL(String(parts[0])),
            let header = try? JSONParser.parse([UInt8](headerData)),
            header["alg"] == "HS256",
            let signature = Self.decodeBase64URL(String(parts[2])),
            let payloadData = Self.decodeBase64URL(String(parts[1])),
            case .object(let claims) = (try? JSONParser.parse([UInt8](payloadData))) ?? .null
        else { return nil }
        let signingInput = Data((parts[0] + "." + parts[1]).utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: SymmetricKey(data: Data(secret.utf8))) else {
            return nil
        }
        // As the `jsonwebtoken` package Strapi uses: `exp` and `nbf`, when present, must be
        // numbers (a token whose `exp` is a string would otherwise never expire).
        let seconds = Double(now.millisecondsSince1970) / 1000
        if let expiry = claims["exp"] {
            guard let value = Self.numericDate(expiry), seconds < value else { return nil }
        }
        if let notBefore = claims["nbf"] {
            guard let value = Self.numericDate(notBefore), seconds >= value else { return nil }
        }
        return claims
    }

    /// A JWT NumericDate: a JSON number, nothing else.
    static func numericDate(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number) where number.isFinite: return number
        default: return nil
        }
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
