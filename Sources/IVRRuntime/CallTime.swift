import Foundation

/// The time a call starts at, as written in `--at` and test files' `at:`.
public enum CallTime {
    /// ISO 8601 with a zone offset, or a date and time taken as UTC.
    ///
    /// The usual form (`2026-11-23T10:00:00-05:00`, `...Z`, or no zone for
    /// UTC) is read by `RFC3339Time` on bytes, with no formatter: a test file
    /// of 20,000 cases parses each `at:` twice. Any other text (fractional
    /// seconds, a lowercase `t`, out-of-range fields, not a time at all) goes
    /// to `ISO8601DateFormatter` as before, so what is accepted, its value and
    /// the diagnostic for a bad `at:` are unchanged.
    public static func parse(_ text: String) -> Date? {
        if let seconds = RFC3339Time.secondsSince1970(text) {
            return Date(timeIntervalSinceReferenceDate: Double(seconds - secondsFrom1970To2001))
        }
        return parseWithFormatter(text)
    }

    /// The formatter's reading, for the forms `RFC3339Time` leaves to it (and
    /// the reference its results are tested against).
    static func parseWithFormatter(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.date(from: text)
    }

    /// 1970-01-01 to 2001-01-01 (`Date`'s reference date), in seconds.
    static let secondsFrom1970To2001 = 978_307_200
}
