import Foundation
import Synchronization

/// A time zone of `hours:`, made once per process, and the UTC offsets it
/// has already been asked about: each lookup remembers the stretch from the
/// instant asked to the zone's next transition, over which the offset
/// cannot change, so `open()` on calls of the same weeks reads a number
/// instead of asking ICU (a `TimeZone` and `Calendar` made per call cost
/// more than the rest of a simulated call).
final class ZoneOffsets: Sendable {
    let zone: TimeZone

    /// `[start, end)` in seconds since 1970, and the offset over it.
    private struct Span {
        var start: Int
        var end: Int
        var offset: Int
    }

    /// The most recently found stretches, newest first.
    private let spans = Mutex<[Span]>([])
    private static let spansKept = 8

    private init(_ zone: TimeZone) { self.zone = zone }

    /// Every zone looked up so far, nil for identifiers that name none.
    private static let named = Mutex<[String: ZoneOffsets?]>([:])

    /// The zone of an identifier, made on first use; nil when there is none of that name.
    static func named(_ identifier: String) -> ZoneOffsets? {
        if let known = named.withLock({ $0[identifier] }) { return known }
        let made = TimeZone(identifier: identifier).map(ZoneOffsets.init)
        named.withLock { $0[identifier] = made }
        return made
    }

    /// UTC, for schedules with no time zone.
    static let utc = ZoneOffsets(TimeZone(secondsFromGMT: 0) ?? .gmt)

    /// Seconds east of UTC at `date` (whole seconds since 1970 in `seconds`).
    func offset(at date: Date, seconds: Int) -> Int {
        let hit = spans.withLock { spans in spans.first { $0.start <= seconds && seconds < $0.end } }
        if let hit { return hit.offset }
        let offset = zone.secondsFromGMT(for: date)
        let end = zone.nextDaylightSavingTimeTransition(after: date)
            .map { Int($0.timeIntervalSince1970.rounded(.up)) } ?? Int.max
        let span = Span(start: seconds, end: max(end, seconds + 1), offset: offset)
        spans.withLock { spans in
            spans.insert(span, at: 0)
            if spans.count > Self.spansKept { spans.removeLast() }
        }
        return offset
    }
}
