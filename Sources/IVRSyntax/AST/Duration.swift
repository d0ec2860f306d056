/// Durations are written `500ms`, `5s`, `2m`, `1m30s`, `1h`, `1.5s`; kept in milliseconds.
public struct Duration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int

    public init(milliseconds: Int) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int) -> Duration { Duration(milliseconds: s * 1000) }

    public static func < (a: Duration, b: Duration) -> Bool { a.milliseconds < b.milliseconds }

    /// Parses a duration; nil when the text is not one. Hours, minutes and
    /// seconds may have a decimal fraction (`1.5s` is 1500 ms, `0.5m` is
    /// 30 s), rounded to the nearest millisecond; milliseconds are whole.
    public init?(parsing text: String) {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var total = 0
        var chars = Array(text.utf8)[...]
        guard !chars.isEmpty else { return nil }
        while !chars.isEmpty {
            var whole = 0
            var digits = 0
            while let c = chars.first, c >= zero, c <= nine {
                whole = whole * 10 + Int(c - zero)
                if whole > 100_000_000 { return nil }
                digits += 1
                chars = chars.dropFirst()
            }
            guard digits > 0 else { return nil }
            // The fraction as `fraction / denominator`, from its first nine digits.
            var fraction = 0
            var denominator = 1
            var hasFraction = false
            if chars.first == UInt8(ascii: ".") {
                chars = chars.dropFirst()
                var fractionDigits = 0
                while let c = chars.first, c >= zero, c <= nine {
                    if fractionDigits < 9 {
                        fraction = fraction * 10 + Int(c - zero)
                        denominator *= 10
                    }
                    fractionDigits += 1
                    chars = chars.dropFirst()
                }
                guard fractionDigits > 0 else { return nil }
                hasFraction = true
            }
            let scale: Int
            if chars.starts(with: Array("ms".utf8)) {
                guard !hasFraction else { return nil } // a duration is kept in whole milliseconds
                scale = 1
                chars = chars.dropFirst(2)
            } else {
                switch chars.first {
                case UInt8(ascii: "h"): scale = 3_600_000
                case UInt8(ascii: "m"): scale = 60_000
                case UInt8(ascii: "s"): scale = 1000
                default: return nil
                }
                chars = chars.dropFirst()
            }
            total += whole * scale + (fraction * scale + denominator / 2) / denominator
            if total > 1 << 50 { return nil }
        }
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
