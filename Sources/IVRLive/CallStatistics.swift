import Foundation
import IVRRuntime

/// The numbers `ivrc report` prints, computed once from call records and then
/// rendered as text, JSON or HTML.
///
/// Definitions (docs/report.md):
/// - *outcomes*: the record's `outcome`; the four of the spec always appear,
///   any other value is counted under its own name after them;
/// - *menu choices*: `inputs` of kind `menu`, grouped by flow and node;
/// - *abandonment*: calls whose outcome is `caller-hangup`, counted at the last
///   node of their `path` (`(start)` when the path is empty);
/// - *time in IVR*: `end - answer` when the record has `answer`, else
///   `durationMs`; percentiles by the nearest-rank method;
/// - *busiest hours*: the UTC hour of `start`.
public struct CallStatistics: Sendable, Equatable {
    /// The spec's outcomes, in report order.
    public static let standardOutcomes = ["transfer", "hangup", "caller-hangup", "error"]

    /// A count with its name, as the report lists it.
    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int
        public init(_ name: String, _ count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// The keys chosen in one menu.
    public struct Menu: Sendable, Equatable {
        public var node: String
        /// Choices in key order (1-9, 0, *, #, then longer inputs).
        public var options: [Count]
        public var choices: Int { options.reduce(0) { $0 + $1.count } }
    }

    /// p50 and p90 of time in IVR, in milliseconds (nil without calls).
    public struct Durations: Sendable, Equatable {
        public var p50: Int?
        public var p90: Int?
    }

    /// One flow's share of the calls.
    public struct Flow: Sendable, Equatable {
        public var name: String
        public var calls: Int
        public var outcomes: [Count]
        public var menus: [Menu]
        /// Caller hang-ups by the node the caller was in, most first.
        public var abandonment: [Count]
        public var time: Durations
    }

    public var calls: Int
    public var outcomes: [Count]
    public var time: Durations
    /// Calls started in each UTC hour, index 0...23.
    public var hours: [Int]
    /// Flows, most calls first (then by name).
    public var flows: [Flow]

    public init(_ records: [CallRecord]) {
        calls = records.count
        outcomes = Self.outcomes(records)
        time = Self.durations(records)
        var hours = Array(repeating: 0, count: 24)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        for r in records {
            let h = calendar.component(.hour, from: r.start)
            if hours.indices.contains(h) { hours[h] += 1 }
        }
        self.hours = hours
        let byFlow = Dictionary(grouping: records, by: \.flow)
        flows = byFlow.map { name, records in
            Flow(name: name, calls: records.count, outcomes: Self.outcomes(records), menus: Self.menus(records),
                 abandonment: Self.abandonment(records), time: Self.durations(records))
        }.sorted { ($0.calls, $1.name) > ($1.calls, $0.name) }
    }

    /// A share as a percentage with one decimal (`"51.2%"`); `"-"` of nothing.
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        return String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    /// The nearest-rank percentile of sorted values: the smallest value with
    /// at least `p`% of the values at or below it.
    public static func percentile(_ sorted: [Int], _ p: Int) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (p * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// Milliseconds the caller spent in the IVR.
    public static func timeInIVR(_ r: CallRecord) -> Int {
        guard let answer = r.answer else { return r.durationMs }
        return max(0, Int((r.end.timeIntervalSince(answer) * 1000).rounded()))
    }

    /// Sorts menu keys as a keypad reads: 1-9, 0, *, #, then longer inputs.
    public static func keyOrder(_ a: String, _ b: String) -> Bool {
        let keys = Array("1234567890*#").map(String.init)
        switch (keys.firstIndex(of: a), keys.firstIndex(of: b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return (a.count, a) < (b.count, b)
        }
    }

    static func outcomes(_ records: [CallRecord]) -> [Count] {
        var counts: [String: Int] = [:]
        for r in records { counts[r.outcome, default: 0] += 1 }
        let standard = standardOutcomes.map { Count($0, counts[$0] ?? 0) }
        let others = counts.keys.filter { !standardOutcomes.contains($0) }.sorted().map { Count($0, counts[$0] ?? 0) }
        return standard + others
    }

    static func durations(_ records: [CallRecord]) -> Durations {
        let sorted = records.map(timeInIVR).sorted()
        return Durations(p50: percentile(sorted, 50), p90: percentile(sorted, 90))
    }

    static func menus(_ records: [CallRecord]) -> [Menu] {
        var order: [String] = []
        var counts: [String: [String: Int]] = [:]
        for r in records {
            for input in r.inputs where input.kind == "menu" {
                if counts[input.node] == nil { order.append(input.node) }
                counts[input.node, default: [:]][input.digits, default: 0] += 1
            }
        }
        return order.map { node in
            let options = counts[node] ?? [:]
            return Menu(node: node, options: options.keys.sorted(by: keyOrder).map { Count($0, options[$0] ?? 0) })
        }
    }

    static func abandonment(_ records: [CallRecord]) -> [Count] {
        var counts: [String: Int] = [:]
        for r in records where r.outcome == "caller-hangup" {
            counts[r.path.last ?? "(start)", default: 0] += 1
        }
        return counts.map { Count($0.key, $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }
}
