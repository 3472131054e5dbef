/// A UTC instant with millisecond precision: what Strapi stores for `datetime`, `timestamp`,
/// `createdAt`, `updatedAt` and `publishedAt`, and renders as `2024-03-06T13:42:05.098Z`.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The instants JavaScript's `Date` can hold: ±8.64e15 ms around the epoch.
    public static let javaScriptRange: ClosedRange<Int64> = -8_640_000_000_000_000...8_640_000_000_000_000

    /// An instant given as milliseconds since the epoch by a client, when `Date` could hold it.
    public init?(javaScriptMilliseconds milliseconds: Double) {
        guard milliseconds.isFinite, let whole = Int64(exactly: milliseconds.rounded(.towardZero)),
            Self.javaScriptRange.contains(whole)
        else { return nil }
        self.init(millisecondsSince1970: whole)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// ISO 8601 in UTC with milliseconds, as JavaScript's `Date.prototype.toISOString`.
    public var iso8601: String {
        let ms = millisecondsSince1970
        // Floor division written so that no instant, Int64.min included, overflows.
        let remainder = ms % 86_400_000
        let days = ms / 86_400_000 - (remainder < 0 ? 1 : 0)
        let msOfDay = remainder < 0 ? remainder + 86_400_000 : remainder
        let (year, month, day) = CivilDate.fromDays(days)
        let hour = msOfDay / 3_600_000
        let minute = (msOfDay / 60_000) % 60
        let second = (msOfDay / 1000) % 60
        let millis = msOfDay % 1000
        guard year >= 0 && year <= 9999 else {
            var out = [UInt8]()
            out.append(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            Self.appendDigits(&out, abs(year), width: 6)
            out.append(UInt8(ascii: "-")); Self.appendDigits(&out, month, width: 2)
            out.append(UInt8(ascii: "-")); Self.appendDigits(&out, day, width: 2)
            out.append(UInt8(ascii: "T")); Self.appendDigits(&out, hour, width: 2)
            out.append(UInt8(ascii: ":")); Self.appendDigits(&out, minute, width: 2)
            out.append(UInt8(ascii: ":")); Self.appendDigits(&out, second, width: 2)
            out.append(UInt8(ascii: ".")); Self.appendDigits(&out, millis, width: 3)
            out.append(UInt8(ascii: "Z"))
            return String(decoding: out, as: UTF8.self)
        }
        // The common case, `YYYY-MM-DDTHH:mm:ss.sssZ`: written straight into the string's storage
        // (every row carries three of these; an intermediate array doubled their cost).
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int64, at offset: Int, width: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 0, width: 4); buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2); buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2); buffer[10] = UInt8(ascii: "T")
            put(hour, at: 11, width: 2); buffer[13] = UInt8(ascii: ":")
            put(minute, at: 14, width: 2); buffer[16] = UInt8(ascii: ":")
            put(second, at: 17, width: 2); buffer[19] = UInt8(ascii: ".")
            put(millis, at: 20, width: 3); buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    public var description: String { iso8601 }

    /// Appends `value` as exactly `width` decimal digits (zero-padded), most significant first.
    static func appendDigits(_ out: inout [UInt8], _ value: Int64, width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value % (divisor * 10)
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Parses the ISO 8601 forms JavaScript's `Date` accepts: `YYYY-MM-DD`,
    /// `YYYY-MM-DDTHH:mm`, with optional seconds, fraction and `Z`/`±HH:mm` offset
    /// (a date-time without an offset is read as UTC, which is how a server in UTC reads it).
    public init?(iso8601 text: String) {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(width: 4), scanner.consume("-"),
            let month = scanner.number(width: 2), scanner.consume("-"),
            let day = scanner.number(width: 2)
        else { return nil }
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        var msOfDay: Int64 = 0
        var offsetMinutes: Int64 = 0
        if scanner.consume("T") || scanner.consume("t") || scanner.consume(" ") {
            guard let hour = scanner.number(width: 2), hour <= 24, scanner.consume(":"),
                let minute = scanner.number(width: 2), minute < 60
            else { return nil }
            var second: Int64 = 0
            var millis: Int64 = 0
            if scanner.consume(":") {
                guard let s = scanner.number(width: 2), s < 60 else { return nil }
                second = s
                if scanner.consume(".") || scanner.consume(",") {
                    guard let fraction = scanner.fractionMilliseconds() else { return nil }
                    millis = fraction
                }
            }
            if hour == 24 && (minute != 0 || second != 0 || millis != 0) { return nil }
            msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + millis
            if scanner.consume("Z") || scanner.consume("z") {
                offsetMinutes = 0
            } else if let sign = scanner.consumeSign() {
                guard let offsetHour = scanner.number(width: 2) else { return nil }
                _ = scanner.consume(":")
                guard let offsetMinute = scanner.number(width: 2) else { return nil }
                offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
            }
        }
        guard scanner.isAtEnd else { return nil }
        let days = CivilDate.toDays(year: year, month: month, day: day)
        millisecondsSince1970 = days * 86_400_000 + msOfDay - offsetMinutes * 60_000
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms).
public enum CivilDate {
    public static func toDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    public static func isValid(year: Int64, month: Int64, day: Int64) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[Int(month - 1)]
    }
}

/// A tiny cursor over ASCII digits used by the date and time parsers.
struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }

    mutating func number(width: Int) -> Int64? {
        guard index + width <= bytes.count else { return nil }
        var value: Int64 = 0
        for offset in 0..<width {
            let byte = bytes[index + offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// One or more fraction digits, truncated to milliseconds.
    mutating func fractionMilliseconds() -> Int64? {
        var digits = 0
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            if digits < 3 { value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var scaled = min(digits, 3)
        while scaled < 3 {
            value *= 10
            scaled += 1
        }
        return value
    }

    mutating func consume(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func consumeSign() -> Int64? {
        if consume("+") { return 1 }
        if consume("-") { return -1 }
        return nil
    }
}
