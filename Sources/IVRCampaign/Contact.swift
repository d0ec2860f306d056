import Foundation

/// One valid row of the contacts CSV: its line (the contact's identity in
/// the journal and in call records), its E.164 number, every column by
/// header name, and its `timezone` column when it has one.
public struct Contact: Sendable, Equatable {
    public var line: Int
    public var number: String
    public var columns: [String: String]
    public var timezone: TimeZone?

    public init(line: Int, number: String, columns: [String: String], timezone: TimeZone? = nil) {
        self.line = line
        self.number = number
        self.columns = columns
        self.timezone = timezone
    }
}

/// A row that is never dialled, and why (reported with its line).
public struct InvalidRow: Sendable, Equatable {
    public var line: Int
    /// The row's `number` as written, when it has one.
    public var number: String
    public var reason: String
}
