/// Sizes as configuration files write them: a number of bytes, or one with a unit, as the
/// `bytes` package Strapi's body limits use reads them (`"1048576"`, `"512K"`, `"56kb"`, `"64M"`,
/// `"2 GiB"`, `"3t"`; powers of 1024, case and spaces ignored).
public enum ByteSize {
    /// The bytes `text` names; `nil` when it is not a whole size or overflows.
    public static func parse(_ text: String) -> Int64? {
        var rest = Substring(text.lowercased()).drop { $0 == " " }
        while rest.last == " " { rest.removeLast() }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        let shift: Int64
        switch rest.dropFirst(digits.count).drop(while: { $0 == " " }) {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: return nil
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : result
    }
}
