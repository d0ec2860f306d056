/// A YAML node as read from libyaml events, with the source range of both
/// its ends. Scalars stay untyped text: the flow builder types them itself
/// (no YAML 1.1 booleans: `no` is the string "no").
public struct YAMLNode: Sendable {
    /// How a scalar was written; quoted scalars are never null, numbers or booleans.
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded

        public var isQuoted: Bool { self != .plain }
    }

    /// One `key: value` entry of a mapping.
    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public enum Kind: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The scalar's text, or nil for mappings and sequences.
    public var scalar: String? {
        if case .scalar(let s, _) = kind { return s }
        return nil
    }

    /// True for an empty plain scalar, `~`, `null`, `Null` and `NULL`.
    public var isNull: Bool {
        guard case .scalar(let s, .plain) = kind else { return false }
        return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    public var pairs: [Pair]? {
        if case .mapping(let p) = kind { return p }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let i) = kind { return i }
        return nil
    }

    /// What the node is, for "expected X, found Y" messages.
    public var kindName: String {
        switch kind {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
