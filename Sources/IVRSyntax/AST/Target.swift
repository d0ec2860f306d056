/// Where control goes: a node, a built-in, or inline steps (section 3).
public enum Target: Sendable {
    case node(Located<String>)
    case builtin(Located<BuiltinTarget>)
    /// Inline steps; the range covers the mapping or list.
    case inline([Step], SourceRange)

    public var range: SourceRange {
        switch self {
        case .node(let n): n.range
        case .builtin(let b): b.range
        case .inline(_, let r): r
        }
    }

    /// Whether running this target always leaves the current node.
    /// Node names and built-ins jump; inline steps jump when their last step does.
    public var alwaysJumps: Bool {
        switch self {
        case .node, .builtin: true
        case .inline(let steps, _): steps.contains { $0.alwaysJumps }
        }
    }
}

/// `repeat`, `back`, `top`, `hangup`.
public enum BuiltinTarget: String, Sendable, CaseIterable {
    case `repeat`, back, top, hangup
}
