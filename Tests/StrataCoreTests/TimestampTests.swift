import Testing
@testable import StrataCore

@Suite("Timestamps and calendar values")
struct TimestampTests {
    @Test("ISO 8601 parsing matches JavaScript's Date", arguments: [
        ("2024-03-06T13:42:05.098Z", Int64(1_709_732_525_098)),
        ("2024-03-06", 1_709_683_200_000),
        ("2024-03-06T13:42:05+02:00", 1_709_725_325_000),
        ("2024-03-06T13:42Z", 1_709_732_520_000),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2024-02-29T00:00:00.123456Z", 1_709_164_800_123),
    ])
    func parse(text: String, milliseconds: Int64) {
        #expect(Timestamp(iso8601: text)?.millisecondsSince1970 == milliseconds)
    }

    @Test("rendering matches Date.prototype.toISOString")
    func render() {
        #expect(Timestamp(millisecondsSince1970: 1_709_732_525_098).iso8601 == "2024-03-06T13:42:05.098Z")
        #expect(Timestamp(millisecondsSince1970: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSince1970: 253_402_300_799_999).iso8601 == "9999-12-31T23:59:59.999Z")
    }

    @Test("invalid dates are rejected", arguments: ["2024-02-30", "2023-02-29", "2024-13-01", "2024-1-1", "yesterday", "2024-03-06T25:00Z", "2024-03-06T12:00:00Zjunk"])
    func invalid(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("date values keep YYYY-MM-DD and tolerate a suffix like Strapi")
    func dates() {
        #expect(CalendarValue.date(from: "2024-03-06") == "2024-03-06")
        #expect(CalendarValue.date(from: "2024-03-06T10:00:00Z") == "2024-03-06")
        #expect(CalendarValue.date(from: "06/03/2024") == nil)
    }

    @Test("time values are normalised to HH:mm:ss.SSS")
    func times() {
        #expect(CalendarValue.time(from: "09:30") == "09:30:00.000")
        #expect(CalendarValue.time(from: "09:30:15") == "09:30:15.000")
        #expect(CalendarValue.time(from: "09:30:15.1") == "09:30:15.100")
        #expect(CalendarValue.time(from: "09:30:15.123456") == "09:30:15.123")
        #expect(CalendarValue.time(from: "24:00") == nil)
        #expect(CalendarValue.time(from: "9:30") == nil)
    }
}

@Suite("Timestamps at the edges")
struct TimestampEdgeTests {
    @Test("every Int64 instant formats without trapping")
    func extremes() {
        for ms in [Int64.min, Int64.min + 1, -86_399_999, -1, 0, Int64.max] {
            #expect(!Timestamp(millisecondsSince1970: ms).iso8601.isEmpty)
        }
        #expect(Timestamp(millisecondsSince1970: -1).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    @Test("client milliseconds outside JavaScript's Date range are no instant")
    func javaScriptRange() {
        #expect(Timestamp(javaScriptMilliseconds: 1e300) == nil)
        #expect(Timestamp(javaScriptMilliseconds: .infinity) == nil)
        #expect(Timestamp(javaScriptMilliseconds: .nan) == nil)
        #expect(Timestamp(javaScriptMilliseconds: 8.64e15)?.iso8601 == "+275760-09-13T00:00:00.000Z")
        #expect(Timestamp(javaScriptMilliseconds: 8.64e15 + 1) == nil)
    }
}
