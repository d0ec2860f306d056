import Foundation
import IVRBytecode
import IVRSyntax

/// `open("name")`: whether a schedule is open at an instant, in its time zone
/// (or in `zone`, a campaign contact's, when given: `ivrc campaign --window`).
public enum BusinessHours {
    public static func isOpen(_ s: ScheduleImage, strings: [String], at date: Date, in zone: TimeZone? = nil) -> Bool {
        let zone = zone ?? s.timezone.flatMap { TimeZone(identifier: strings[$0]) } ?? TimeZone(identifier: "UTC") ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        let today = digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
        if s.closed.contains(where: { strings[$0] == today }) { return false }
        let mondayBased = (weekday + 5) % 7  // Calendar: 1 = Sunday
        let now = hour * 60 + minute
        return s.rules.contains { rule in
            rule.days & UInt8(1 << mondayBased) != 0 && rule.intervals.contains { $0.contains(now) }
        }
    }

    /// `n` in decimal, zero-padded to `width` (`String(format:)` costs more than the rest of `open()`).
    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
