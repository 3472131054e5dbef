/// Validation and normalisation of Strapi's `date` and `time` attribute values.
public enum CalendarValue {
    /// Accepts a string starting with `YYYY-MM-DD` (Strapi tolerates a suffix and truncates it)
    /// and returns the normalised `YYYY-MM-DD`.
    public static func date(from text: String) -> String? {
        let prefix = String(text.prefix(10))
        var scanner = DigitScanner(prefix)
        guard let year = scanner.number(width: 4), scanner.consume("-"),
            let month = scanner.number(width: 2), scanner.consume("-"),
            let day = scanner.number(width: 2), scanner.isAtEnd,
            CivilDate.isValid(year: year, month: month, day: day)
        else { return nil }
        return prefix
    }

    /// Accepts `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS…` and returns `HH:mm:ss.SSS`.
    public static func time(from text: String) -> String? {
        var scanner = DigitScanner(text)
        guard let hour = scanner.number(width: 2), hour < 24, scanner.consume(":"),
            let minute = scanner.number(width: 2), minute < 60
        else { return nil }
        var second: Int64 = 0
        var millis: Int64 = 0
        if scanner.consume(":") {
            guard let s = scanner.number(width: 2), s < 60 else { return nil }
            second = s
            if scanner.consume(".") {
                guard let fraction = scanner.fractionMilliseconds() else { return nil }
                millis = fraction
            }
        }
        guard scanner.isAtEnd else { return nil }
        var out = [UInt8]()
        Timestamp.appendDigits(&out, hour, width: 2)
        out.append(UInt8(ascii: ":"))
        Timestamp.appendDigits(&out, minute, width: 2)
        out.append(UInt8(ascii: ":"))
        Timestamp.appendDigits(&out, second, width: 2)
        out.append(UInt8(ascii: "."))
        Timestamp.appendDigits(&out, millis, width: 3)
        return String(decoding: out, as: UTF8.self)
    }
}
