package import StrataCore
import StrataModule

/// The `users-permissions` plugin configuration (`config/plugins.json`).
public struct UsersPermissionsConfiguration: Sendable {
    /// Secret for the HS256 JWTs (`jwtSecret`, else `JWT_SECRET`).
    public var jwtSecret: String
    /// Token lifetime in seconds (`jwt.expiresIn`, default 30 days).
    public var jwtExpiresIn: Int64
    /// Extra fields `register` accepts besides username, email and password.
    public var allowedRegisterFields: [String]
    /// Requests per window allowed on `/api/auth/*` per client and route.
    public var rateLimitMax: Int
    /// Length of the rate-limit window in milliseconds.
    public var rateLimitInterval: Int
    /// Public URL of the server, for links in emails.
    public var serverURL: String

    public init(jwtSecret: String, jwtExpiresIn: Int64 = 30 * 24 * 3600, allowedRegisterFields: [String] = [], rateLimitMax: Int = 10, rateLimitInterval: Int = 60_000, serverURL: String = "http://localhost:1337") {
        self.jwtSecret = jwtSecret
        self.jwtExpiresIn = jwtExpiresIn
        self.allowedRegisterFields = allowedRegisterFields
        self.rateLimitMax = rateLimitMax
        self.rateLimitInterval = rateLimitInterval
        self.serverURL = serverURL
    }

    /// Parses `ms`-style durations (`30d`, `12h`, `15m`, `3600s`, `3600`) into seconds.
    public static func seconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: [" "])
        if let number = Int64(trimmed) { return number }
        guard let unit = trimmed.last, let value = Double(trimmed.dropLast()) else { return nil }
        let multiplier: Double
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        case "w": multiplier = 604_800
        case "y": multiplier = 31_557_600
        default: return nil
        }
        // A duration no Int64 holds is no duration (and would trap).
        let seconds = (value * multiplier).rounded(.towardZero)
        return seconds.isFinite ? Int64(exactly: seconds) : nil
    }
}

extension UsersPermissionsConfiguration: ModuleConfiguration {
    /// The plugin's `config` object: `jwt.expiresIn` (seconds or `ms` text), `register.allowedFields`,
    /// `ratelimit.max` and `ratelimit.interval`. The JWT secret and the server URL come from the
    /// project's secrets and server settings; the application sets them.
    package init(plugin config: JSONValue?) throws {
        self.init(jwtSecret: "")
        if let expiresIn = config?["jwt"]?["expiresIn"], let seconds = expiresIn.stringValue.flatMap(Self.seconds) ?? expiresIn.intValue {
            jwtExpiresIn = seconds
        }
        allowedRegisterFields = config?["register"]?["allowedFields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let max = Self.integer(config?["ratelimit"]?["max"]) { rateLimitMax = max }
        if let interval = Self.integer(config?["ratelimit"]?["interval"]) { rateLimitInterval = interval }
    }

    /// Integers, or strings holding one (interpolated values are strings).
    static func integer(_ value: JSONValue?) -> Int? {
        if let number = value?.intValue { return Int(exactly: number) }
        if let text = value?.stringValue { return Int(text.trimmingCharacters(in: [" "])) }
        return nil
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return String(result)
    }
}
