import Foundation
import Testing
@testable import IVRRuntime

/// `open()`'s wall clock (`LocalTime`: a zone's remembered offsets and day
/// arithmetic) agrees with `Calendar` in zones with and without daylight
/// saving, around every transition and on the instants between, asked
/// forwards and backwards (the remembered stretches must not leak across a
/// transition).
@Suite struct LocalTimeTests {
    /// The day number and minute `Calendar` gives for `date` in `zone`.
    static func calendarTime(_ date: Date, _ zone: TimeZone) -> LocalTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return LocalTime(days: CivilDate.daysSince1970(year: p.year ?? 0, month: p.month ?? 0, day: p.day ?? 0),
                         minute: (p.hour ?? 0) * 60 + (p.minute ?? 0))
    }

    @Test(arguments: ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia",
                      "America/Sao_Paulo", "UTC"])
    func theWallClockAgreesWithCalendar(zone identifier: String) throws {
        let offsets = try #require(ZoneOffsets.named(identifier))
        let zone = offsets.zone
        var instants: [Date] = []
        // Ten-minute steps over three hours either side of each transition of 2010-2030.
        var after = Date(timeIntervalSince1970: 1_262_304_000)
        let end = Date(timeIntervalSince1970: 1_893_456_000)
        while let next = zone.nextDaylightSavingTimeTransition(after: after), next < end {
            for k in -18...18 { instants.append(next.addingTimeInterval(Double(k * 600))) }
            instants.append(next.addingTimeInterval(-0.5))
            after = next
        }
        // And every 7 h 13 min over 2011-2012 (Apia skipped 2011-12-30 to change its offset by a day).
        for t in stride(from: 1_293_840_000, to: 1_356_998_400, by: 25_980) {
            instants.append(Date(timeIntervalSince1970: Double(t)))
        }
        for date in instants + instants.reversed() {
            #expect(LocalTime(date, in: offsets) == Self.calendarTime(date, zone), "\(identifier) \(date)")
        }
    }

    @Test func unknownZonesAreNamedOnce() {
        #expect(ZoneOffsets.named("Mars/Olympus_Mons") == nil)
        #expect(ZoneOffsets.named("Europe/London") === ZoneOffsets.named("Europe/London"))
    }

    @Test func daysAndWeekdays() {
        #expect(CivilDate.daysSince1970(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.weekday(daysSince1970: 0) == 3)  // a Thursday
        let monday = CivilDate.daysSince1970(year: 2026, month: 11, day: 23)
        #expect(CivilDate.weekday(daysSince1970: monday) == 0)
        #expect(CivilDate.weekday(daysSince1970: CivilDate.daysSince1970(year: 1583, month: 1, day: 1)) == 5)  // a Saturday
        #expect(CivilDate(daysSince1970: CivilDate.daysSince1970(year: 2028, month: 2, day: 29)) == CivilDate(year: 2028, month: 2, day: 29))
        for days in stride(from: -150_000, through: 3_000_000, by: 97) {
            let date = CivilDate(daysSince1970: days)
            #expect(CivilDate.daysSince1970(year: date.year, month: date.month, day: date.day) == days)
            #expect((1...CivilDate.daysIn(month: date.month, year: date.year)).contains(date.day))
        }
    }
}
