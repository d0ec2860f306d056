/// The strict RFC 3339 subset `CallTime` reads without a formatter:
/// `YYYY-MM-DDTHH:MM:SS` then `Z`, `+HH:MM`, `-HH:MM` or nothing (UTC).
///
/// Only text whose meaning is beyond doubt is taken: a year from 1583 (the
/// Gregorian calendar throughout), a real day of that month, hours 00-23,
/// minutes and seconds 00-59, offsets up to 18:00. Anything else returns nil
/// and is left to the formatter, which decides as it always has.
enum RFC3339Time {
    /// Seconds since 1970-01-01T00:00:00Z, or nil when the text is not of this form.
    static func secondsSince1970(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { secondsSince1970($0) }
    }

    static func secondsSince1970(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard b.count == 19 || b.count == 20 || b.count == 25 else { return nil }
        guard let year = number(b, 0, 4), b[4] == dash, let month = number(b, 5, 2), b[7] == dash,
              let day = number(b, 8, 2), b[10] == upperT, let hour = number(b, 11, 2), b[13] == colon,
              let minute = number(b, 14, 2), b[16] == colon, let second = number(b, 17, 2) else { return nil }
        guard year >= 1583, (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        var offset = 0
        if b.count == 20 {
            guard b[19] == upperZ else { return nil }
        } else if b.count == 25 {
            guard b[19] == plus || b[19] == dash, let oh = number(b, 20, 2), b[22] == colon, let om = number(b, 23, 2),
                  om < 60, oh * 60 + om <= 18 * 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[19] == dash ? -1 : 1)
        }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// The decimal number in `count` ASCII digits at `start`.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var n = 0
        for i in start..<(start + count) {
            let d = b[i] &- zero
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
        }
        return n
    }

    private static let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
    private static let plus = UInt8(ascii: "+"), upperT = UInt8(ascii: "T"), upperZ = UInt8(ascii: "Z")
}
