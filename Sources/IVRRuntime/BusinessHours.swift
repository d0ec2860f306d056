import Foundation
import IVRBytecode
import IVRSyntax

/// `open("name")`: whether a schedule is open at an instant, in its time zone
/// (or in `contactZone`, a campaign contact's, when given: `ivrc campaign --window`).
public enum BusinessHours {
    public static func isOpen(_ s: ScheduleImage, strings: [String], at date: Date, in contactZone: TimeZone? = nil) -> Bool {
        let zone = contactZone.flatMap { ZoneOffsets.named($0.identifier) }
            ?? s.timezone.flatMap { ZoneOffsets.named(strings[$0]) } ?? .utc
        guard let local = LocalTime(date, in: zone) else { return calendarIsOpen(s, strings: strings, at: date, zone: zone.zone) }
        return isOpen(s, strings: strings, date: CivilDate(daysSince1970: local.days),
                      weekday: CivilDate.weekday(daysSince1970: local.days), minute: local.minute)
    }

    /// The rules on a local date, weekday (0 = Monday) and minute of the day.
    private static func isOpen(_ s: ScheduleImage, strings: [String], date: CivilDate, weekday: Int, minute: Int) -> Bool {
        if !s.closed.isEmpty {
            let today = digits(date.year, 4) + "-" + digits(date.month, 2) + "-" + digits(date.day, 2)
            if s.closed.contains(where: { strings[$0] == today }) { return false }
        }
        return s.rules.contains { rule in
            rule.days & UInt8(1 << weekday) != 0 && rule.intervals.contains { $0.contains(minute) }
        }
    }

    /// Instants before 1583, where `Calendar` counts Julian dates: its answer, as before.
    private static func calendarIsOpen(_ s: ScheduleImage, strings: [String], at date: Date, zone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        return isOpen(s, strings: strings, date: CivilDate(year: year, month: month, day: day),
                      weekday: (weekday + 5) % 7,  // Calendar: 1 = Sunday
                      minute: hour * 60 + minute)
    }

    /// `n` in decimal, zero-padded to `width` (`String(format:)` costs more than the rest of `open()`).
    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
