import Foundation
import Testing
@testable import IVRRuntime

/// `open()` compares the day against closed dates as "YYYY-MM-DD" text;
/// single-digit months and days must be zero-padded to match.
struct BusinessHoursTests {
    @Test func digitsArePaddedToTheWidth() {
        #expect(BusinessHours.digits(7, 2) == "07")
        #expect(BusinessHours.digits(12, 2) == "12")
        #expect(BusinessHours.digits(2027, 4) == "2027")
        #expect(BusinessHours.digits(987, 4) == "0987")
    }

    static let flow = """
    ivr: h
    hours:
      office:
        timezone: America/Chicago
        mon-fri: "08:00-17:00"
        closed: ["2027-01-05"]
    nodes:
      a:
        - branch:
            - if: open("office")
              then: {say: "open"}
            - else: {say: "closed"}
        - hangup
    """

    @Test(arguments: [
        ("2027-01-05T10:00:00-06:00", "closed"),  // a Tuesday, closed that day
        ("2027-01-06T10:00:00-06:00", "open"),
    ])
    func closedDatesWithSingleDigitMonthsAndDays(at: String, expected: String) async throws {
        let date = try #require(CallTime.parse(at))
        let r = try await Harness.run(Self.flow, at: date)
        #expect(r.trace.first == "say:\(expected)")
    }

    static func sundayFlow(zone: String, hours: String) -> String {
        """
        ivr: h
        hours:
          office:
            timezone: \(zone)
            sun: "\(hours)"
        nodes:
          a:
            - branch:
                - if: open("office")
                  then: {say: "open"}
                - else: {say: "closed"}
            - hangup
        """
    }

    /// New York's clocks go from 02:00 EST to 03:00 EDT on 2026-03-08 and
    /// from 02:00 EDT back to 01:00 EST on 2026-11-01 (01:30 comes twice).
    @Test(arguments: [
        ("2026-03-08T06:59:00Z", "open"),    // 01:59 EST
        ("2026-03-08T07:00:00Z", "open"),    // 03:00 EDT
        ("2026-03-08T07:29:59Z", "open"),    // 03:29 EDT
        ("2026-03-08T07:30:00Z", "closed"),  // 03:30 EDT
        ("2026-03-08T06:29:00Z", "closed"),  // 01:29 EST
        ("2026-11-01T05:30:00Z", "open"),    // 01:30 EDT
        ("2026-11-01T06:30:00Z", "open"),    // 01:30 EST, the second time
        ("2026-11-01T07:29:00Z", "open"),    // 02:29 EST
        ("2026-11-01T07:30:00Z", "closed"),  // 02:30 EST
        ("2026-11-01T05:29:00Z", "closed"),  // 01:29 EDT
    ])
    func newYorkAcrossDaylightSaving(at: String, expected: String) async throws {
        let date = try #require(CallTime.parse(at))
        let r = try await Harness.run(Self.sundayFlow(zone: "America/New_York", hours: "01:30-02:30, 03:00-03:30"), at: date)
        #expect(r.trace.first == "say:\(expected)")
    }

    /// London goes from 01:00 GMT to 02:00 BST on 2026-03-29 and from 02:00
    /// BST back to 01:00 GMT on 2026-10-25; a time given with an offset names
    /// the same instant whatever the zone of the schedule.
    @Test(arguments: [
        ("2026-03-29T00:59:00Z", "open"),    // 00:59 GMT
        ("2026-03-29T01:00:00Z", "closed"),  // 02:00 BST
        ("2026-10-25T00:30:00+01:00", "open"),  // 23:30 UTC on Saturday: already 00:30 BST on Sunday
        ("2026-10-24T22:59:00Z", "closed"),  // 23:59 BST on Saturday
        ("2026-10-25T00:30:00Z", "open"),    // 01:30 BST
        ("2026-10-25T01:30:00Z", "open"),    // 01:30 GMT, the second time
        ("2026-10-25T02:00:00Z", "closed"),  // 02:00 GMT
        ("2026-10-25T07:00:00-05:00", "closed"),  // 12:00 GMT
    ])
    func londonAcrossSummerTime(at: String, expected: String) async throws {
        let date = try #require(CallTime.parse(at))
        let r = try await Harness.run(Self.sundayFlow(zone: "Europe/London", hours: "00:00-02:00"), at: date)
        #expect(r.trace.first == "say:\(expected)")
    }
}
