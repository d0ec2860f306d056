import Foundation
import IVRSyntax
import Testing
@testable import IVRRuntime

/// `at:` and `--at` in the usual form are read without a formatter
/// (`RFC3339Time`) and give the same instant as `ISO8601DateFormatter`;
/// every other text goes to the formatter, so what it accepts and rejects
/// (and the diagnostic for a bad `at:`) is unchanged.
@Suite struct CallTimeTests {
    @Test(arguments: [
        "2026-11-23T10:00:00-05:00", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00", "2026-11-23T10:00:00+00:00",
        "2026-11-23T10:00:00-00:00", "2026-03-08T02:30:00-05:00", "2028-02-29T23:59:59+14:00",
        "2026-11-23T00:00:00+05:30", "2026-06-30T12:00:00-09:30", "2026-11-23T10:00:00+18:00", "1583-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z", "1900-03-01T00:00:00-12:00", "2000-02-29T12:00:00Z", "9999-12-31T23:59:59Z",
    ])
    func theUsualFormAgreesWithTheFormatter(text: String) throws {
        let seconds = try #require(RFC3339Time.secondsSince1970(text))
        let reference = try #require(CallTime.parseWithFormatter(text))
        #expect(Date(timeIntervalSince1970: Double(seconds)) == reference)
        #expect(CallTime.parse(text) == reference)
    }

    /// Instants spread over 1900-2100 (a step that is not a whole number of
    /// days, so every time of day comes up), written with offsets east and west.
    @Test func aSweepOfInstantsAndOffsetsAgreesWithTheFormatter() throws {
        let offsets = [-12 * 60, -9 * 60 - 30, -5 * 60, 0, 5 * 60 + 45, 14 * 60]
        var t = -2_208_988_800  // 1900-01-01
        var checked = 0
        while t < 4_102_444_800 {  // 2100-01-01
            for minutes in offsets {
                let text = Self.text(t, offsetMinutes: minutes)
                let seconds = try #require(RFC3339Time.secondsSince1970(text), "\(text)")
                #expect(seconds == t, "\(text)")
                #expect(Date(timeIntervalSince1970: Double(seconds)) == CallTime.parseWithFormatter(text), "\(text)")
                checked += 1
            }
            t += 61_000_003
        }
        #expect(checked > 500)
    }

    @Test(arguments: [
        "2026-11-23T10:00:00.250-05:00", "2026-11-23t10:00:00-05:00", "2026-11-23T10:00:00z", "2026-02-30T10:00:00Z",
        "2026-11-23T24:00:00Z", "2026-11-23T10:00:60Z", "2026-11-23T10:00:00+0500", "2026-11-23T10:00:00+19:00",
        "2026-11-23 10:00:00", "2026-11-23", "2026-11-23T10:00", "1582-10-10T00:00:00Z", "+2026-11-23T10:00:00Z",
        "tomorrow", "", "2026-11-23T10:00:00-05:00 ", "２０２６-11-23T10:00:00Z",
    ])
    func otherTextIsLeftToTheFormatter(text: String) {
        #expect(RFC3339Time.secondsSince1970(text) == nil)
        #expect(CallTime.parse(text) == CallTime.parseWithFormatter(text))
    }

    @Test func aBadAtKeepsItsDiagnostic() throws {
        let yaml = """
        flow: desk
        cases:
          - name: ten in the morning
            at: "2026-11-23 10am"
            expect: {outcome: hangup}
        """
        let (_, diagnostics) = FlowTestParser.parse(Array(yaml.utf8), file: "desk.test.yaml")
        let d = try #require(diagnostics.first { $0.message.contains("'at'") })
        #expect(d.code.rawValue == "E006")
        #expect(d.message == "'at' must be an ISO 8601 time like 2026-11-23T10:00:00-05:00")
        #expect(d.range.start.line == 4)
    }

    /// `t` as `YYYY-MM-DDTHH:MM:SS±HH:MM` at an offset of `offsetMinutes`.
    static func text(_ t: Int, offsetMinutes: Int) -> String {
        let local = t + offsetMinutes * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let date = CivilDate(daysSince1970: days)
        let s = local - days * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
            + "\(sign)\(two(abs(offsetMinutes) / 60)):\(two(abs(offsetMinutes) % 60))"
    }
}
