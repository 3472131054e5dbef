import Crypto
import Foundation
import StrataCore
import Testing
@testable import StrataAccess

@Suite("JSON Web Tokens")
struct JSONWebTokenTests {
    let jwt = JSONWebToken(secret: "short-secret")
    let now = Timestamp(iso8601: "2024-03-06T13:42:05.098Z")!

    @Test("tokens carry id, iat and exp and verify until they expire")
    func roundTrip() throws {
        let token = jwt.sign(["id": 7], now: now, expiresIn: 30 * 24 * 3600)
        let claims = try #require(jwt.verify(token, now: now))
        #expect(claims["id"] == 7)
        #expect(claims["iat"] == .int(1_709_732_525))
        #expect(claims["exp"] == .int(1_709_732_525 + 30 * 24 * 3600))
        let later = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 31 * 24 * 3_600_000)
        #expect(jwt.verify(token, now: later) == nil, "expired")
    }

    @Test("a token signed by Node's jsonwebtoken with the same secret verifies")
    func interoperates() {
        // Made with Node's crypto as jsonwebtoken does: HS256 over({id: 1, iat: 1709732525, exp: 4102444800}, 'short-secret') (HS256)
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzA5NzMyNTI1LCJleHAiOjQxMDI0NDQ4MDB9.GLknACOQ14oRlkoXXU8wByniYrGgDwsoS4WoSwXYRB0"
        #expect(jwt.verify(token, now: now)?["id"] == 1)
    }

    @Test("tampered, foreign and alg=none tokens are refused")
    func refused() {
        let token = jwt.sign(["id": 7], now: now, expiresIn: 60)
        let parts = token.split(separator: ".").map(String.init)
        let forgedPayload = JSONWebToken.base64URL(Data(#"{"id":1,"iat":1709732525,"exp":4102444800}"#.utf8))
        #expect(jwt.verify(parts[0] + "." + forgedPayload + "." + parts[2], now: now) == nil)
        #expect(JSONWebToken(secret: "other").verify(token, now: now) == nil)
        let none = JSONWebToken.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(jwt.verify(none + "." + parts[1] + ".", now: now) == nil)
        #expect(jwt.verify("garbage", now: now) == nil)
    }
}

@Suite("JWT claims")
struct JSONWebTokenClaimTests {
    /// A token signed with `secret` over the given claims, whatever they hold.
    static func token(_ claims: String, secret: String = "s") -> String {
        let jwt = JSONWebToken(secret: secret)
        let header = JSONWebToken.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let body = JSONWebToken.base64URL(Data(claims.utf8))
        let input = header + "." + body
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(jwt.secret.utf8)))
        return input + "." + JSONWebToken.base64URL(Data(signature))
    }

    @Test("exp and nbf must be numbers: a string, null or object exp never verifies")
    func numericDates() {
        let jwt = JSONWebToken(secret: "s")
        let now = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        #expect(jwt.verify(Self.token(#"{"id":1,"exp":1800000000}"#), now: now) != nil)
        #expect(jwt.verify(Self.token(#"{"id":1}"#), now: now) != nil, "no exp: no expiry, as jsonwebtoken")
        #expect(jwt.verify(Self.token(#"{"id":1,"exp":1600000000}"#), now: now) == nil, "expired")
        for exp in [#""1800000000""#, "null", "{}", "[1800000000]", "true"] {
            #expect(jwt.verify(Self.token(#"{"id":1,"exp":\#(exp)}"#), now: now) == nil, "exp \(exp)")
        }
        #expect(jwt.verify(Self.token(#"{"id":1,"nbf":"0"}"#), now: now) == nil)
        #expect(jwt.verify(Self.token(#"{"id":1,"nbf":1800000000}"#), now: now) == nil, "not yet valid")
        #expect(jwt.verify(Self.token(#"{"id":1,"nbf":1600000000}"#), now: now) != nil)
    }

    @Test("a huge configured lifetime does not overflow the exp claim")
    func hugeLifetime() throws {
        let jwt = JSONWebToken(secret: "s")
        let token = jwt.sign(["id": 1], now: Timestamp(millisecondsSince1970: 1_700_000_000_000), expiresIn: .max)
        #expect(jwt.verify(token, now: Timestamp(millisecondsSince1970: 1_700_000_000_000)) != nil)
    }
}
