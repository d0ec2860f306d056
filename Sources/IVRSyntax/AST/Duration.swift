/// Durations are written `500ms`, `5s`, `2m`, `1m30s`, `1h`; kept in milliseconds.
public struct Duration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int

    public init(milliseconds: Int) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int) -> Duration { Duration(milliseconds: s * 1000) }

    public static func < (a: Duration, b: Duration) -> Bool { a.milliseconds < b.milliseconds }

    /// Parses a duration; nil when the text is not one.
    public init?(parsing text: String) {
        var total = 0
        var number = 0
        var haveNumber = false
        var sawUnit = false
        var chars = Array(text.utf8)[...]
        guard !chars.isEmpty else { return nil }
        while let c = chars.first {
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                number = number &* 10 &+ Int(c - UInt8(ascii: "0"))
                if number > 100_000_000 { return nil }
                haveNumber = true
                chars = chars.dropFirst()
                continue
            }
            guard haveNumber else { return nil }
            let scale: Int
            if chars.starts(with: Array("ms".utf8)) {
                scale = 1
                chars = chars.dropFirst(2)
            } else {
                switch c {
                case UInt8(ascii: "h"): scale = 3_600_000
                case UInt8(ascii: "m"): scale = 60_000
                case UInt8(ascii: "s"): scale = 1000
                default: return nil
                }
                chars = chars.dropFirst()
            }
            total += number * scale
            number = 0
            haveNumber = false
            sawUnit = true
        }
        guard sawUnit, !haveNumber else { return nil }
        self.milliseconds = total
    }

    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ""
        if ms >= 3_600_000 { out += "\(ms / 3_600_000)h"; ms %= 3_600_000 }
        if ms >= 60_000 { out += "\(ms / 60_000)m"; ms %= 60_000 }
        if ms >= 1000 { out += "\(ms / 1000)s"; ms %= 1000 }
        if ms > 0 { out += "\(ms)ms" }
        return out
    }
}
