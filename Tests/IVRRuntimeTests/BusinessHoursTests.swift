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
}
