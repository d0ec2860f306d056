import Foundation
import IVRRuntime

/// The numbers `ivrc report` prints, computed once from call records and then
/// rendered as text, JSON or HTML.
///
/// Definitions (docs/report.md):
/// - *outcomes*: the record's `outcome`; the four of the spec always appear,
///   any other value is counted under its own name after them;
/// - *calls per flow*: records by `flow`, the flow the call started in;
///   a flow the call went on in through an `ivr:` transfer counts it as
///   `transferredIn` (records say where each node is: `pathFlows`, an
///   input's `flow`);
/// - *menu choices*: `inputs` of kind `menu`, grouped by the flow of the
///   menu and its node; keys the menu refused (`invalid: true`) are one
///   `invalid` row;
/// - *abandonment*: calls whose outcome is `caller-hangup`, counted at the last
///   node of their `path`, under that node's flow (`(start)` when the path
///   is empty);
/// - *time in IVR*: `end - answer` when the record has `answer`, else
///   `durationMs`, less the ring and talk time of a bridge; percentiles by
///   the nearest-rank method;
/// - *talk time*: the answered bridges of records with a `bridge`, by the
///   flow the call started in and by destination; billable minutes count
///   every started minute of a call's talk (`TalkTime`);
/// - *busiest hours*: the UTC hour of `start`;
/// - *servers* and *bundles*: records by `server` and by `bundle` (merged
///   logs of several nodes), `-` for records without one (`CallOrigin.swift`).
public struct CallStatistics: Sendable, Equatable {
    /// The row of a menu's keys it did not accept (`inputs` marked `invalid`).
    public static let invalidChoice = "invalid"

    /// How a menu row is labelled: `key 1`, or `invalid keys`.
    public static func choiceLabel(_ name: String) -> String { name == invalidChoice ? "invalid keys" : "key \(name)" }

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
        /// Calls that started in this flow (outcomes and time are theirs).
        public var calls: Int
        /// Calls that started in another flow and went on in this one
        /// through an `ivr:` transfer (their menus and hang-ups here count here).
        public var transferredIn = 0
        public var outcomes: [Count]
        public var menus: [Menu]
        /// Caller hang-ups by the node the caller was in, most first.
        public var abandonment: [Count]
        public var time: Durations
        /// Talk time of the flow's bridged transfers; nil without any.
        public var talk: TalkTime?
        /// Calls that were in this flow at some point: the whole of its abandonment percentages.
        public var reached: Int { calls + transferredIn }
    }

    public var calls: Int
    public var outcomes: [Count]
    public var time: Durations
    /// Calls started in each UTC hour, index 0...23.
    public var hours: [Int]
    /// Flows, most calls first (then by name).
    public var flows: [Flow]
    /// Talk time of every bridged transfer; nil without any.
    public var talk: TalkTime?
    /// Calls by the node that handled them; empty when no record names its server.
    public var servers: [Origin]
    /// Calls by the bundle they ran on; empty when no record names its bundle.
    public var bundles: [Origin]
    /// Outbound campaigns' calls (`ivrc campaign`); empty when no record is a campaign's.
    public var campaigns: [CampaignCalls]

    public init(_ records: [CallRecord]) {
        calls = records.count
        outcomes = Self.outcomes(records)
        time = Self.durations(records)
        talk = TalkTime(records)
        servers = Self.origins(records, by: \.server)
        bundles = Self.origins(records, by: \.bundle)
        campaigns = CampaignCalls.of(records)
        var hours = Array(repeating: 0, count: 24)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        for r in records {
            let h = calendar.component(.hour, from: r.start)
            if hours.indices.contains(h) { hours[h] += 1 }
        }
        self.hours = hours
        let byFlow = Dictionary(grouping: records, by: \.flow)
        var transferredIn: [String: Int] = [:]
        for r in records {
            for other in r.otherFlows { transferredIn[other, default: 0] += 1 }
        }
        let menus = Self.menus(records), abandonment = Self.abandonment(records)
        flows = Set(byFlow.keys).union(transferredIn.keys).map { name in
            let started = byFlow[name] ?? []
            var flow = Flow(name: name, calls: started.count, outcomes: Self.outcomes(started), menus: menus[name] ?? [],
                            abandonment: abandonment[name] ?? [], time: Self.durations(started))
            flow.transferredIn = transferredIn[name] ?? 0
            flow.talk = TalkTime(started)
            return flow
        }.sorted { ($0.calls, $0.transferredIn, $1.name) > ($1.calls, $1.transferredIn, $0.name) }
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
        let total = r.answer.map { max(0, Int((r.end.timeIntervalSince($0) * 1000).rounded())) } ?? r.durationMs
        return max(0, total - TalkTime.bridgeMs(r))
    }

    /// Sorts menu keys as a keypad reads: 1-9, 0, *, #, then longer inputs.
    public static func keyOrder(_ a: String, _ b: String) -> Bool {
        let keys = Array("1234567890*#").map(String.init)
        if (a == invalidChoice) != (b == invalidChoice) { return b == invalidChoice }
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

    /// Menus by flow (the flow each menu is in).
    static func menus(_ records: [CallRecord]) -> [String: [Menu]] {
        struct Key: Hashable { var flow: String, node: String }
        var order: [Key] = []
        var counts: [Key: [String: Int]] = [:]
        for r in records {
            for input in r.inputs where input.kind == "menu" {
                let key = Key(flow: r.flow(of: input), node: input.node)
                if counts[key] == nil { order.append(key) }
                let option = input.invalid == true ? CallStatistics.invalidChoice : input.digits
                counts[key, default: [:]][option, default: 0] += 1
            }
        }
        var menus: [String: [Menu]] = [:]
        for key in order {
            let options = counts[key] ?? [:]
            menus[key.flow, default: []].append(Menu(node: key.node, options: options.keys.sorted(by: keyOrder).map { Count($0, options[$0] ?? 0) }))
        }
        return menus
    }

    /// Caller hang-ups by flow, at the node the caller was in (under that node's flow).
    static func abandonment(_ records: [CallRecord]) -> [String: [Count]] {
        var counts: [String: [String: Int]] = [:]
        for r in records where r.outcome == "caller-hangup" {
            let flow = r.path.isEmpty ? r.flow : r.flow(atPath: r.path.count - 1)
            counts[flow, default: [:]][r.path.last ?? "(start)", default: 0] += 1
        }
        return counts.mapValues { nodes in
            nodes.map { Count($0.key, $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        }
    }
}
