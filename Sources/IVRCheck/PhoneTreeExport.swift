import IVRSyntax

/// The phone tree of one or more flows as a graph, for `ivrc graph`:
/// a vertex per node (and per inline target), an edge per way control can
/// go, with the paths callers take when something goes wrong (timeout,
/// invalid key, attempts used up, a failed transfer or webhook) marked as
/// such. Rendered by `dot()` (Graphviz) and `mermaid()`.
///
/// Reachability is computed here from each flow's start node, so nodes no
/// caller can reach are drawn greyed out.
public struct PhoneTree: Sendable {
    /// What a vertex does; decides its shape.
    public enum Kind: String, Sendable {
        case menu, capture, transfer, hangup, branch, webhook, record
        /// Plain steps (say, play, set, goto).
        case step
        /// Where a call begins (the flow's entry point).
        case entry
        /// The flow's "call ends" vertex, target of `hangup` and default paths.
        case end
        /// `back`: the menu visited before.
        case back
        /// A flow outside the graph (`transfer: {ivr: ...}` with `--flow`).
        case external
        /// A target that names no node (E201).
        case missing
    }

    public struct Vertex: Sendable, Equatable {
        public var id: String
        public var flow: String
        public var title: String
        /// Summary lines under the title (the node's significant steps).
        public var details: [String]
        public var kind: Kind
        public var reachable = true
    }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String?
        /// Exceptional paths: timeout, invalid, exhausted, on-fail, on-error.
        public var dashed: Bool
        /// The call ends here without a `hangup` step (W304).
        public var implicit = false
    }

    /// One flow: its vertices (ids, in file order) and where calls enter.
    public struct Cluster: Sendable, Equatable {
        public var flow: String
        public var extensionNumber: String?
        public var vertices: [String]
    }

    public private(set) var vertices: [Vertex] = []
    public private(set) var edges: [Edge] = []
    public private(set) var clusters: [Cluster] = []
    private var vertexIndex: [String: Int] = [:]

    /// The graph of `flows`. `ivr:` transfers to a flow among them point at
    /// its start node; to any other flow, at an external vertex.
    public init(flows: [Flow]) {
        // Vertex ids start with the flow's name; a second flow of the same
        // name (an E211 error) gets its own prefix so the two stay apart.
        var keys: [String] = []
        var taken: Set<String> = []
        for flow in flows {
            var key = flow.name.value
            var n = 1
            while !taken.insert(key).inserted {
                n += 1
                key = "\(flow.name.value)~\(n)"
            }
            keys.append(key)
        }
        var starts: [String: String] = [:]
        for (flow, key) in zip(flows, keys) {
            if let start = flow.startNodeName, flow.node(named: start) != nil {
                starts[key] = Self.id(key, start)
            }
        }
        for (flow, key) in zip(flows, keys) {
            var builder = PhoneTreeBuilder(flow: flow, key: key, index: FlowIndex(flow), starts: starts)
            builder.build()
            clusters.append(Cluster(flow: flow.name.value, extensionNumber: flow.extensionNumber?.value,
                                    vertices: builder.vertices.filter { $0.kind != .external }.map(\.id)))
            for vertex in builder.vertices where vertexIndex[vertex.id] == nil {
                vertexIndex[vertex.id] = vertices.count
                vertices.append(vertex)
            }
            edges += builder.edges
        }
        edges = Self.merged(edges)
        markReachable(starts: keys.map { Self.id($0, "(entry)") })
    }

    public func vertex(_ id: String) -> Vertex? { vertexIndex[id].map { vertices[$0] } }

    static func id(_ flow: String, _ node: String) -> String { "\(flow)/\(node)" }

    /// Several keys to the same place make one edge labelled "1, 2".
    private static func merged(_ edges: [Edge]) -> [Edge] {
        var out: [Edge] = []
        var seen: [String: Int] = [:]
        for edge in edges {
            let key = "\(edge.from)\u{0}\(edge.to)\u{0}\(edge.dashed)\u{0}\(edge.implicit)"
            if let i = seen[key] {
                if let label = edge.label {
                    out[i].label = out[i].label.map { $0 + ", " + label } ?? label
                }
            } else {
                seen[key] = out.count
                out.append(edge)
            }
        }
        return out
    }

    /// A worklist from each flow's entry; everything not reached is unreachable.
    /// `ivr:` edges are followed too, but every flow has its own entry (callers
    /// dial it), so a flow is never unreachable as a whole.
    private mutating func markReachable(starts: [String]) {
        var successors: [String: [String]] = [:]
        for edge in edges { successors[edge.from, default: []].append(edge.to) }
        var reached = Set(starts)
        var work = starts
        while let id = work.popLast() {
            for next in successors[id] ?? [] where reached.insert(next).inserted {
                work.append(next)
            }
        }
        for i in vertices.indices { vertices[i].reachable = reached.contains(vertices[i].id) }
    }
}
