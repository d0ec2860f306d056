import IVRSyntax

/// The control-flow graph of one flow, built once and shared by the
/// analyses (loops, reachability, data flow).
///
/// Vertices are program points: the end of the call, the entry of each
/// named node and inline target (an anonymous node), each step, and for
/// each menu and capture a *retry* point where a handler that did not jump
/// comes back (the wait starts again, or `on-exhausted` runs). Edges carry
/// what takes them: a key, a timeout, invalid input, the end of the
/// attempts, a branch arm, a webhook or transfer outcome. `repeat`, `back`
/// and `top` are resolved to the menus they can reach (`back` with the same
/// menu stack the runtime keeps).
public struct FlowGraph: Sendable {
    public enum VertexKind: Sendable {
        /// The call leaves the flow: hangup (explicit or implicit), transfer.
        case end
        /// The entry of a named node (index into `flow.nodes`).
        case node(Int)
        /// The entry of inline steps (the range of the target).
        case inline(SourceRange)
        case step(Step)
        /// After a menu's or capture's handler returns (the vertex of the menu or capture).
        case retry(Int)
    }

    public struct Vertex: Sendable {
        public var kind: VertexKind
        /// The named node it belongs to; -1 for the end.
        public var node: Int
    }

    public enum EdgeKind: Sendable, Equatable, CustomStringConvertible {
        /// The next step, or the end of a list (implicit hangup, back to the
        /// branch's next step, back to the menu).
        case next
        /// `goto`.
        case jump
        case key(DTMFKey)
        /// Digits keyed for `dial-by-extension`.
        case extensionDialled
        /// A capture succeeded.
        case captured
        case timeout, invalid
        /// A retry point starts the wait again (attempts left).
        case again
        case exhausted
        case arm(Int), otherwise
        /// A branch without `else` where no arm matched.
        case noArm
        case webhookOK, webhookError
        case transferred, transferFailed
        case hangup
        /// A recording ended.
        case recorded

        /// Taken after a wait for the caller (a key, silence, a recording).
        public var waits: Bool {
            switch self {
            case .key, .extensionDialled, .captured, .timeout, .invalid, .recorded: true
            default: false
            }
        }

        /// Taken only when the caller presses keys.
        public var needsKeys: Bool {
            switch self {
            case .key, .extensionDialled, .captured, .invalid: true
            default: false
            }
        }

        /// Depends on the world (a condition, a webhook or transfer failing).
        public var isConditional: Bool {
            switch self {
            case .arm, .otherwise, .noArm, .webhookError, .transferFailed: true
            default: false
            }
        }

        public var description: String {
            switch self {
            case .next: "next"
            case .jump: "goto"
            case .key(let k): "key \(k.rawValue)"
            case .extensionDialled: "dial-by-extension"
            case .captured: "captured"
            case .timeout: "timeout"
            case .invalid: "invalid"
            case .again: "again"
            case .exhausted: "exhausted"
            case .arm(let i): "arm \(i + 1)"
            case .otherwise: "else"
            case .noArm: "no arm"
            case .webhookOK: "webhook ok"
            case .webhookError: "on-error"
            case .transferred: "transferred"
            case .transferFailed: "on-fail"
            case .hangup: "hangup"
            case .recorded: "recorded"
            }
        }
    }

    public struct Edge: Sendable {
        public var target: Int
        public var kind: EdgeKind
        /// The target as written (a node name, a built-in, inline steps), when the edge is a jump.
        public var range: SourceRange?
        /// The built-in target (`repeat`, `back`, `top`, `hangup`) that made the edge.
        public var builtin: BuiltinTarget? = nil
    }

    /// A `back` (or a `repeat` outside any menu or capture), resolved with the menu stack.
    public struct DynamicTarget: Sendable {
        public var builtin: BuiltinTarget
        public var from: Int
        public var kind: EdgeKind
        public var range: SourceRange
        /// The menu vertices it can lead to; empty when no menu leads here.
        public var menus: [Int]
    }

    /// A `transfer: {ivr: NAME}`.
    public struct FlowEdge: Sendable {
        public var from: Int
        public var flow: String
        public var range: SourceRange
    }

    public static let end = 0
    public let flow: Flow
    public internal(set) var vertices: [Vertex] = []
    public internal(set) var edges: [[Edge]] = []
    /// The entry vertex of each named node.
    public internal(set) var nodeEntries: [Int] = []
    /// The start node's entry; nil when `start:` names no node or there are no nodes.
    public internal(set) var start: Int?
    public internal(set) var dynamicTargets: [DynamicTarget] = []
    public internal(set) var flowEdges: [FlowEdge] = []
    /// Vertices whose edges may be incomplete (a malformed node, a target naming no node).
    public internal(set) var uncertain: BitSet
    /// Vertices reachable from the start.
    public internal(set) var reachable: BitSet

    public var vertexCount: Int { vertices.count }

    /// The vertex of each menu, with its index among `menus`.
    public internal(set) var menus: [Int] = []

    public func successors(_ v: Int) -> [Int] { edges[v].map(\.target) }

    /// The name of the named node a vertex belongs to.
    public func nodeName(of v: Int) -> String {
        let n = vertices[v].node
        return n >= 0 && n < flow.nodes.count ? flow.nodes[n].name.value : "(end)"
    }

    /// The step of a step vertex.
    public func step(_ v: Int) -> Step? {
        if case .step(let s) = vertices[v].kind { return s }
        return nil
    }

    /// Where a vertex stands in the file, for diagnostics.
    public func range(of v: Int) -> SourceRange {
        switch vertices[v].kind {
        case .end: flow.range
        case .node(let n): flow.nodes[n].name.range
        case .inline(let r): r
        case .step(let s): s.keyRange
        case .retry(let m): range(of: m)
        }
    }
}
