/// A YAML value as the importers build it, written by `YAMLText`: mappings
/// keep their order, and entries and list items can carry comment lines.
indirect enum YAMLValue: Sendable, Equatable {
    /// Written plain when that reads back as the same string, else double-quoted.
    case scalar(String)
    /// Always double-quoted (digit strings such as extensions and keys).
    case quoted(String)
    /// Written as it is: numbers (`attempts: 3`).
    case plain(String)
    case mapping([YAMLEntry])
    case sequence([YAMLItem])

    /// A one-entry mapping, the shape of a step: `say: text`.
    static func step(_ key: String, _ value: YAMLValue) -> YAMLValue { .mapping([YAMLEntry(key, value)]) }

    /// A mapping from key-value pairs, without comments.
    static func map(_ pairs: [(String, YAMLValue)]) -> YAMLValue {
        .mapping(pairs.map { YAMLEntry($0.0, $0.1) })
    }

    /// A mapping of the entries whose key was not seen before (YAML keys are unique).
    static func uniqueMapping(_ entries: [YAMLEntry]) -> YAMLValue {
        var seen: Set<String> = []
        return .mapping(entries.filter { seen.insert($0.key).inserted })
    }

    /// A list of values without comments.
    static func list(_ values: [YAMLValue]) -> YAMLValue { .sequence(values.map { YAMLItem($0) }) }

    /// Whether a comment is attached anywhere inside (such values are written in block style).
    var hasComments: Bool {
        switch self {
        case .scalar, .quoted, .plain: false
        case .mapping(let entries): entries.contains { !$0.comments.isEmpty || $0.value.hasComments }
        case .sequence(let items): items.contains { !$0.comments.isEmpty || $0.value.hasComments }
        }
    }
}

/// One `key: value` of a mapping, with the comment lines written above it.
struct YAMLEntry: Sendable, Equatable {
    var key: String
    var value: YAMLValue
    var comments: [String]

    init(_ key: String, _ value: YAMLValue, comments: [String] = []) {
        self.key = key
        self.value = value
        self.comments = comments
    }
}

/// One `- value` of a list, with the comment lines written above it.
struct YAMLItem: Sendable, Equatable {
    var value: YAMLValue
    var comments: [String]

    init(_ value: YAMLValue, comments: [String] = []) {
        self.value = value
        self.comments = comments
    }
}
