import IVRRuntime

extension CallStatistics {
    /// The name under which records that do not say their server or bundle are counted.
    public static let unknownOrigin = "-"

    /// The calls one `ivrc serve` node (record field `server`) or one
    /// bundle (record field `bundle`, its SHA-256) handled, for merged
    /// reports of several nodes' logs.
    public struct Origin: Sendable, Equatable {
        /// The server's name or the bundle's hash; `unknownOrigin` for records without it.
        public var name: String
        public var calls: Int
        public var outcomes: [Count]
        public var time: Durations
    }

    /// Records grouped by `key` (nil: `unknownOrigin`), most calls first,
    /// then by name; empty when no record has the key at all (reports of
    /// single-node records keep their shape).
    static func origins(_ records: [CallRecord], by key: (CallRecord) -> String?) -> [Origin] {
        guard records.contains(where: { key($0) != nil }) else { return [] }
        let grouped = Dictionary(grouping: records) { key($0).flatMap { $0.isEmpty ? nil : $0 } ?? unknownOrigin }
        return grouped.map { name, records in
            Origin(name: name, calls: records.count, outcomes: outcomes(records), time: durations(records))
        }.sorted { ($0.calls, $1.name) > ($1.calls, $0.name) }
    }

    /// How text and HTML show a bundle: the first 12 hex digits of its hash.
    public static func shortBundle(_ name: String) -> String {
        name == unknownOrigin ? name : String(name.prefix(12))
    }
}
