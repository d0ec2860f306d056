/// A named business-hours schedule (section 6).
public struct Schedule: Sendable {
    /// One `mon-fri: "09:00-17:30"` line.
    public struct DayRule: Sendable {
        /// The key as written (`mon-fri`).
        public var key: Located<String>
        /// Days it covers, 0 = Monday ... 6 = Sunday.
        public var weekdays: [Int]
        /// Open intervals in minutes after midnight, `start..<end`.
        public var intervals: [Range<Int>]
        public init(key: Located<String>, weekdays: [Int], intervals: [Range<Int>]) {
            self.key = key
            self.weekdays = weekdays
            self.intervals = intervals
        }
    }

    public var name: Located<String>
    public var timezone: Located<String>?
    public var rules: [DayRule]
    /// Closed dates, `YYYY-MM-DD`.
    public var closed: [Located<String>]
    public var range: SourceRange

    public init(name: Located<String>, range: SourceRange) {
        self.name = name
        self.rules = []
        self.closed = []
        self.range = range
    }

    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
}
