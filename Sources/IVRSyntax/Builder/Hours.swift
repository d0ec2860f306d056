/// Business-hours schedules (section 6). Day keys and time ranges are
/// checked here (E405); time zone names are checked by the checker, which
/// has the time-zone database.
extension FlowBuilder {
    mutating func buildHours(_ node: YAMLView) -> [Schedule] {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "'hours' must be a mapping of schedule names to schedules, found \(node.kindName)", at: node.range)
            return []
        }
        var schedules: [Schedule] = []
        for pair in pairs {
            guard let name = locatedString(pair.key, "schedule name") else { continue }
            var schedule = Schedule(name: name, range: pair.value.range)
            guard let entries = pair.value.lazyPairs else {
                sink.emit(.E005, "schedule '\(name.value)' must be a mapping (timezone, days, closed), found \(pair.value.kindName)",
                          at: pair.value.range)
                continue
            }
            var covered: [Int: SourceRange] = [:]
            for entry in entries {
                guard let key = entry.key.scalar else { continue }
                switch key {
                case "timezone":
                    schedule.timezone = locatedString(entry.value, "timezone")
                case "closed":
                    schedule.closed = closedDates(entry.value)
                default:
                    guard let days = Self.parseDays(key) else {
                        let guess = Self.dayKeySuggestion(for: key)
                        sink.emit(.E405, "'\(key)' is not a day, a day range (mon-fri), 'timezone' or 'closed'",
                                  at: entry.key.range, help: guess.map { "did you mean '\($0)'?" },
                                  fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: entry.key.range,
                                                                    replacement: Diagnostic.FixIt.scalar($0)) })
                        continue
                    }
                    for day in days {
                        if let first = covered[day] {
                            sink.emit(.E405, "\(Schedule.dayNames[day]) is given twice in schedule '\(name.value)'",
                                      at: entry.key.range,
                                      notes: [Diagnostic.Note("first given here", file: sink.file, range: first)])
                        }
                        covered[day] = entry.key.range
                    }
                    guard let text = string(entry.value, key) else { continue }
                    switch Self.parseIntervals(text) {
                    case .success(let intervals):
                        // An overnight range (22:00-06:00) runs to midnight, and
                        // its morning part is open on each following day.
                        let sameDay = intervals.map { $0.lowerBound..<min($0.upperBound, Self.day) }
                        let morning = intervals.filter { $0.upperBound > Self.day }.map { 0..<($0.upperBound - Self.day) }
                        schedule.rules.append(Schedule.DayRule(key: Located(key, entry.key.range), weekdays: days,
                                                               intervals: sameDay))
                        if !morning.isEmpty {
                            schedule.rules.append(Schedule.DayRule(key: Located(key, entry.key.range),
                                                                   weekdays: days.map { ($0 + 1) % 7 }, intervals: morning))
                        }
                    case .failure(let problem):
                        let range = problem.part.map { sourceMap(entry.value).range(of: $0) } ?? entry.value.range
                        sink.emit(.E405, problem.message, at: range,
                                  help: "write times as \"HH:MM-HH:MM\", several separated by commas, or \"closed\"")
                    }
                }
            }
            schedules.append(schedule)
        }
        return schedules
    }

    /// `mon`, `mon-fri`, `sat,sun`: weekday numbers, 0 = Monday.
    static func parseDays(_ key: String) -> [Int]? {
        var days: [Int] = []
        for part in key.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(" ").lowercased() }
            guard bounds.count == 1 || bounds.count == 2,
                  let a = Schedule.dayNames.firstIndex(of: bounds[0]),
                  let b = Schedule.dayNames.firstIndex(of: bounds[bounds.count - 1]) else { return nil }
            if a <= b {
                days.append(contentsOf: a...b)
            } else {
                days.append(contentsOf: a...6)   // fri-mon wraps over the weekend
                days.append(contentsOf: 0...b)
            }
        }
        return days
    }

    /// What is wrong with a day's times, and which characters of the text
    /// (Unicode scalars, spaces around it left out) are the range at fault.
    struct HoursProblem: Error {
        var message: String
        var part: Range<Int>?
    }

    /// Minutes in a day.
    static let day = 24 * 60

    /// `"09:00-12:00, 13:00-17:30"` or `"closed"`: minutes after midnight.
    /// A range that ends before it starts runs overnight: `22:00-06:00` is
    /// `1320..<1800`, past the day's 1440 minutes (the caller splits it).
    static func parseIntervals(_ text: String) -> Result<[Range<Int>], HoursProblem> {
        if text.trimmingCharacters(" ") == "closed" { return .success([]) }
        var intervals: [Range<Int>] = []
        for (part, span) in commaSeparated(text) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(" ") }
            guard bounds.count == 2, let start = minutes(bounds[0]), let end = minutes(bounds[1]) else {
                return .failure(HoursProblem(message: "'\(part)' is not a time range like 09:00-17:30", part: span))
            }
            guard start != end else {
                return .failure(HoursProblem(message: "time range '\(part)' is empty; for all day write 00:00-24:00", part: span))
            }
            let range = start < end ? start..<end : start..<(end + day)
            if let overlap = intervals.first(where: { $0.overlaps(range) }) {
                return .failure(HoursProblem(message: "time ranges overlap (\(format(overlap)) and \(bounds[0])-\(bounds[1]))",
                                             part: span))
            }
            intervals.append(range)
        }
        if intervals.isEmpty { return .failure(HoursProblem(message: "no time range given")) }
        return .success(intervals.sorted { $0.lowerBound < $1.lowerBound })
    }

    /// The non-empty comma-separated parts of `text`, trimmed of spaces,
    /// with the Unicode scalars each covers.
    private static func commaSeparated(_ text: String) -> [(String, Range<Int>)] {
        var parts: [(String, Range<Int>)] = []
        let scalars = Array(text.unicodeScalars)
        var start = 0
        for end in 0...scalars.count where end == scalars.count || scalars[end] == "," {
            defer { start = end + 1 }
            guard end > start else { continue } // as `split(separator:)`: no empty parts
            var lower = start, upper = end
            while lower < upper, scalars[lower] == " " { lower += 1 }
            while upper > lower, scalars[upper - 1] == " " { upper -= 1 }
            parts.append((String(String.UnicodeScalarView(scalars[lower..<upper])), lower..<upper))
        }
        return parts
    }

    /// What a day key that is not one was likely meant to be: each day of
    /// `mon-fir` or `monday` mended (`mon-fri`, `mon`), or `timezone` or `closed`.
    static func dayKeySuggestion(for key: String) -> String? {
        var mended = ""
        var token = ""
        var ok = true
        func mend() {
            let word = token.trimmingCharacters(" ").lowercased()
            token = ""
            if Schedule.dayNames.contains(word) { mended += word; return }
            let guess = word.count >= 3 ? Schedule.dayNames.first(where: { word.hasPrefix($0) }) : nil
            if let day = guess ?? closestMatch(to: word, in: Schedule.dayNames) { mended += day } else { ok = false }
        }
        for c in key {
            if c == "-" || c == "," {
                mend()
                mended.append(c)
            } else {
                token.append(c)
            }
        }
        mend()
        if ok, mended != key { return mended }
        return closestMatch(to: key, in: ["timezone", "closed"])
    }

    private static func minutes(_ s: String) -> Int? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), parts[0].allSatisfy(\.isASCIIDigit),
              parts[1].allSatisfy(\.isASCIIDigit), m < 60 else { return nil }
        if h == 24 && m == 0 { return 1440 }
        return h < 24 ? h * 60 + m : nil
    }

    private static func format(_ r: Range<Int>) -> String {
        func hm(_ minutes: Int) -> String {
            let x = minutes > day ? minutes - day : minutes
            let h = x / 60, m = x % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        return "\(hm(r.lowerBound))-\(hm(r.upperBound))"
    }

    private mutating func closedDates(_ node: YAMLView) -> [Located<String>] {
        let dates = stringList(node, "closed")
        return dates.filter { date in
            if Self.isDate(date.value) { return true }
            sink.emit(.E405, "'\(date.value)' is not a date like 2026-12-25", at: date.range)
            return false
        }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m) else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[m - 1]).contains(d)
    }
}

extension StringProtocol {
    func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
