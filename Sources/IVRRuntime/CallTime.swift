import Foundation

/// The time a call starts at, as written in `--at` and test files' `at:`.
public enum CallTime {
    /// ISO 8601 with a zone offset, or a date and time taken as UTC.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.date(from: text)
    }
}
