import Foundation

/// An instant as the wall clock of a zone shows it: the local day number
/// (days since 1970-01-01) and the minute of that day, from the zone's
/// offset and integer arithmetic (no `Calendar`).
struct LocalTime: Equatable {
    var days: Int
    /// 0-1439.
    var minute: Int

    init(days: Int, minute: Int) {
        self.days = days
        self.minute = minute
    }

    /// First instant `CivilDate` answers for: 1583-01-01T00:00:00Z, with a day to spare for offsets.
    static let earliest = CivilDate.daysSince1970(year: 1583, month: 1, day: 2) * 86_400

    /// nil before 1583 (Julian dates in `Calendar`) and past year 9999.
    init?(_ date: Date, in zone: ZoneOffsets) {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t >= Double(Self.earliest), t < 253_402_300_800 else { return nil }
        let seconds = Int(t)
        let local = seconds + zone.offset(at: date, seconds: seconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        self.days = days
        self.minute = (local - days * 86_400) / 60
    }
}
