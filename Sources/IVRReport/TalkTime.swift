import IVRRuntime

/// Talk time of bridged transfers (a record's `bridge`), for one flow or
/// all calls: how many bridges were answered, how long the parties talked,
/// and the billable minutes (every started minute of talk counts, per
/// call), in total and per destination.
public struct TalkTime: Sendable, Equatable {
    /// One destination's share (`number +442071234567`).
    public struct Destination: Sendable, Equatable {
        /// `kind value`, as the record's `bridge.destination` has it.
        public var name: String
        public var bridges: Int
        public var talkMs: Int
        public var billableMinutes: Int
    }

    /// Bridges the callee answered.
    public var bridges: Int
    public var talkMs: Int
    public var billableMinutes: Int
    /// Most billable minutes first (then by name).
    public var destinations: [Destination]

    /// The talk of the answered bridges among `records`; nil when there is none.
    public init?(_ records: [CallRecord]) {
        var byName: [String: Destination] = [:]
        for r in records {
            guard let b = r.bridge, b.answered else { continue }
            let name = "\(b.destination.kind) \(b.destination.value)"
            var d = byName[name] ?? Destination(name: name, bridges: 0, talkMs: 0, billableMinutes: 0)
            d.bridges += 1
            d.talkMs += Self.milliseconds(b.talkSeconds)
            d.billableMinutes += b.billableMinutes
            byName[name] = d
        }
        guard !byName.isEmpty else { return nil }
        destinations = byName.values.sorted { ($0.billableMinutes, $0.talkMs, $1.name) > ($1.billableMinutes, $1.talkMs, $0.name) }
        bridges = destinations.reduce(0) { $0 + $1.bridges }
        talkMs = destinations.reduce(0) { $0 + $1.talkMs }
        billableMinutes = destinations.reduce(0) { $0 + $1.billableMinutes }
    }

    /// Seconds as whole milliseconds (0 for what is not a sensible time).
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0, seconds < 1e9 else { return 0 }
        return Int((seconds * 1000).rounded())
    }

    /// Milliseconds of a record's answered bridge (ring and talk): not time
    /// in the IVR. An unanswered attempt's ringing is (the caller heard
    /// ringback from the IVR, then its `on-fail`).
    static func bridgeMs(_ r: CallRecord) -> Int {
        guard let b = r.bridge, b.answered else { return 0 }
        return milliseconds(b.ringSeconds) + milliseconds(b.talkSeconds)
    }
}
