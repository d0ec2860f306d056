/// The bundle's content as plain values: what the code generator produces,
/// the writer serializes and the reader parses back. Strings are pool indices.
public struct BundleImage: Sendable, Equatable {
    /// The constant pool: each distinct string once.
    public var strings: [String]
    public var flows: [FlowImage]
    /// The manifest's `sip:` settings as key/value pool indices
    /// (`BundleSIPSettings.pairs`); empty: the bundle has no such section.
    public var sipSettings: [SIPSettingPair]

    public init(strings: [String], flows: [FlowImage], sipSettings: [SIPSettingPair] = []) {
        self.strings = strings
        self.flows = flows
        self.sipSettings = sipSettings
    }

    /// Puts `settings` in the image, adding the strings the pool lacks at its end.
    public mutating func setSIPSettings(_ settings: BundleSIPSettings) {
        var index: [String: Int] = [:]
        for (i, s) in strings.enumerated() where index[s] == nil { index[s] = i }
        var pairs: [SIPSettingPair] = []
        for (key, value) in settings.pairs {
            var at: [Int] = []
            for s in [key, value] {
                if let i = index[s] {
                    at.append(i)
                } else {
                    strings.append(s)
                    index[s] = strings.count - 1
                    at.append(strings.count - 1)
                }
            }
            pairs.append(SIPSettingPair(key: at[0], value: at[1]))
        }
        sipSettings = pairs
    }

    /// Whether any flow carries debug information.
    public var hasDebugInfo: Bool { flows.contains { $0.debug != nil } }

    /// The same bundle without its debug section (`build --strip`).
    public func stripped() -> BundleImage {
        var copy = self
        for i in copy.flows.indices { copy.flows[i].debug = nil }
        return copy
    }
}

/// One key/value of the SIP settings section, as string pool indices.
public struct SIPSettingPair: Sendable, Equatable {
    public var key: Int
    public var value: Int
    public init(key: Int, value: Int) {
        self.key = key
        self.value = value
    }
}

/// One flow: its names, tables and code. Code offsets are relative to the
/// flow's first instruction; a flow's jumps never leave its own code.
public struct FlowImage: Sendable, Equatable {
    public var name: Int
    public var extensionNumber: Int?
    public var language: Int?
    public var voice: Int?
    /// The flow's `events.url` (raw, may name `${flow}`, `${caller}`, `${called}`).
    public var eventsURL: Int?
    /// The flow's `servers:`, the names of the nodes that serve it (empty:
    /// every node does; the servers section).
    public var servers: [Int] = []
    /// Offset of the start node's first instruction.
    public var entry: Int
    /// How many attempt counters (one per menu and capture).
    public var slots: Int
    /// Variable table; the first `BuiltinVariable.allCases.count` are the built-ins.
    public var variables: [VariableInfo]
    /// Named nodes and where their code starts, in file order.
    public var nodes: [NodeEntry]
    public var schedules: [ScheduleImage]
    public var code: [UInt8]
    /// Source positions, absent in stripped bundles.
    public var debug: DebugInfo?

    public init(name: Int) {
        self.name = name
        self.entry = 0
        self.slots = 0
        self.variables = []
        self.nodes = []
        self.schedules = []
        self.code = []
    }
}

/// A variable of a flow's table. Sensitive variables are redacted in every record.
public struct VariableInfo: Sendable, Equatable {
    public var name: Int
    public var sensitive: Bool
    /// One of the flow's `inputs`: set on entry from the campaign's contact
    /// row (an empty string when the flow runs inbound). Flag 2, since 3.3.
    public var input: Bool
    public init(name: Int, sensitive: Bool, input: Bool = false) {
        self.name = name
        self.sensitive = sensitive
        self.input = input
    }
}

/// A named node's code offset.
public struct NodeEntry: Sendable, Equatable {
    public var name: Int
    public var offset: Int
    public init(name: Int, offset: Int) {
        self.name = name
        self.offset = offset
    }
}

/// A business-hours schedule for `open()`.
public struct ScheduleImage: Sendable, Equatable {
    /// Days of the week and the open intervals on them.
    public struct Rule: Sendable, Equatable {
        /// Bit 0 = Monday ... bit 6 = Sunday.
        public var days: UInt8
        /// Minutes after midnight, `start..<end`.
        public var intervals: [Range<Int>]
        public init(days: UInt8, intervals: [Range<Int>]) {
            self.days = days
            self.intervals = intervals
        }
    }
    public var name: Int
    public var timezone: Int?
    public var rules: [Rule]
    /// Closed dates, `YYYY-MM-DD` pool indices.
    public var closed: [Int]
    public init(name: Int, timezone: Int?, rules: [Rule], closed: [Int]) {
        self.name = name
        self.timezone = timezone
        self.rules = rules
        self.closed = closed
    }
}

/// Instruction offset -> file:line:column, ordered by offset.
public struct DebugInfo: Sendable, Equatable {
    /// One instruction's source position.
    public struct Entry: Sendable, Equatable {
        public var offset: Int
        public var line: Int
        public var column: Int
        public init(offset: Int, line: Int, column: Int) {
            self.offset = offset
            self.line = line
            self.column = column
        }
    }
    /// The flow file as given to the build (relative, never absolute).
    public var file: String
    public var entries: [Entry]
    public init(file: String, entries: [Entry]) {
        self.file = file
        self.entries = entries
    }

    /// The source position of the instruction at `offset`, if recorded.
    public func position(at offset: Int) -> Entry? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].offset < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < entries.count && entries[lo].offset == offset ? entries[lo] : nil
    }
}

/// The variables every flow has, at these fixed indices.
public enum BuiltinVariable: String, CaseIterable, Sendable {
    case caller, called, flow, language, voice
    public var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
