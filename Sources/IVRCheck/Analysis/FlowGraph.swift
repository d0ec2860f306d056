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
        /// A step (index into `steps`).
        case step(Int)
        /// After a menu's or capture's handler returns (the vertex of the menu or capture).
        case retry(Int)
    }

    /// A plain value (no references): copying one costs nothing.
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

        /// The properties the graph walks test, as one byte (see `Flags`).
        var flags: UInt8 {
            var f: UInt8 = 0
            if waits { f |= Flags.waits }
            if needsKeys { f |= Flags.needsKeys }
            if isConditional { f |= Flags.conditional }
            if self == .again { f |= Flags.again }
            switch self {
            case .next, .captured, .recorded, .webhookOK: f |= Flags.succeeds
            default: break
            }
            return f
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

    /// Edge properties, one bit each, stored per edge in `edgeFlags`.
    enum Flags {
        static let waits: UInt8 = 1, needsKeys: UInt8 = 2, conditional: UInt8 = 4, again: UInt8 = 8
        /// The outcome on which a step's writes happen (next, captured, recorded, webhook ok).
        static let succeeds: UInt8 = 16
        /// Made by `top`.
        static let top: UInt8 = 32
    }

    /// The edges of every vertex in one flat array, grouped by source vertex
    /// (compressed rows): `self[v]` is the edges leaving `v`, in order.
    public struct Adjacency: Sendable {
        public internal(set) var all: [Edge] = []
        /// `all[offsets[v]..<offsets[v + 1]]` leave `v`.
        public internal(set) var offsets: [Int] = [0]

        public subscript(v: Int) -> ArraySlice<Edge> { all[offsets[v]..<offsets[v + 1]] }
    }

    public static let end = 0
    public let flow: Flow
    public internal(set) var vertices: [Vertex] = []
    public internal(set) var edges = Adjacency()
    /// The target of each edge of `edges.all`, and its `Flags`: what the walks read.
    var edgeTargets: [Int] = []
    var edgeFlags: [UInt8] = []
    /// The steps of the step vertices.
    public internal(set) var steps: [Step] = []
    /// What each step vertex reads and writes.
    var variables: FlowVariables
    /// The first node of each name.
    var nodeIndex: NodeNames
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

    public func successors(_ v: Int) -> [Int] { Array(edgeTargets[edges.offsets[v]..<edges.offsets[v + 1]]) }

    /// The name of the named node a vertex belongs to.
    public func nodeName(of v: Int) -> String {
        let n = vertices[v].node
        return n >= 0 && n < flow.nodes.count ? flow.nodes[n].name.value : "(end)"
    }

    /// The step of a step vertex.
    public func step(_ v: Int) -> Step? {
        if case .step(let s) = vertices[v].kind { return steps[s] }
        return nil
    }

    /// Where a vertex stands in the file, for diagnostics.
    public func range(of v: Int) -> SourceRange {
        switch vertices[v].kind {
        case .end: flow.range
        case .node(let n): flow.nodes[n].name.range
        case .inline(let r): r
        case .step(let s): steps[s].keyRange
        case .retry(let m): range(of: m)
        }
    }
}
