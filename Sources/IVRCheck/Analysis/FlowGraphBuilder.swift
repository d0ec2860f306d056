import IVRSyntax

extension FlowGraph {
    /// Builds the graph of `flow`: one pass over its step lists (with an
    /// explicit work list, not recursion), then `back` and dynamic `repeat`
    /// resolved over the menu stack, then reachability from the start.
    public init(_ flow: Flow) {
        self.flow = flow
        self.uncertain = BitSet(capacity: 0)
        self.reachable = BitSet(capacity: 0)
        var builder = FlowGraphBuilder(flow: flow)
        builder.build()
        vertices = builder.vertices
        edges = builder.edges
        nodeEntries = builder.nodeEntries
        start = builder.start
        flowEdges = builder.flowEdges
        menus = builder.menus
        var uncertain = BitSet(capacity: vertices.count)
        for v in vertices.indices {
            let n = vertices[v].node
            if n >= 0, flow.nodes[n].isMalformed { uncertain.insert(v) }
        }
        for v in builder.unresolved { uncertain.insert(v) }
        self.uncertain = uncertain
        resolveDynamicTargets(builder.pendingDynamic)
        reachable = reach(from: start.map { [$0] } ?? [], along: { _ in true })
    }

    /// Vertices reachable from `roots` along the edges `follow` accepts.
    public func reach(from roots: [Int], along follow: (Edge) -> Bool) -> BitSet {
        var seen = BitSet(capacity: vertexCount)
        var stack = roots
        for r in roots { seen.insert(r) }
        while let v = stack.popLast() {
            for edge in edges[v] where follow(edge) && seen.insert(edge.target) {
                stack.append(edge.target)
            }
        }
        return seen
    }
}

/// Lays out the vertices and edges of one flow.
struct FlowGraphBuilder {
    /// Inline steps waiting to be laid out.
    private struct Work {
        var steps: [Step]
        var entry: Int
        /// Where control goes when the steps end without a jump.
        var continuation: Int
        var node: Int
        /// The innermost menu whose options or handlers hold these steps (`back` leaves it).
        var menu: Int?
        /// The innermost menu or capture (`repeat` restarts it).
        var wait: Int?
    }

    struct PendingDynamic {
        var builtin: BuiltinTarget
        var from: Int
        var kind: FlowGraph.EdgeKind
        var range: SourceRange
        var menu: Int?
    }

    let flow: Flow
    var vertices: [FlowGraph.Vertex] = []
    var edges: [[FlowGraph.Edge]] = []
    var nodeEntries: [Int] = []
    var start: Int?
    var flowEdges: [FlowGraph.FlowEdge] = []
    var menus: [Int] = []
    var unresolved: [Int] = []
    var pendingDynamic: [PendingDynamic] = []
    private var nodeIndex: [String: Int] = [:]
    private var work: [Work] = []

    init(flow: Flow) { self.flow = flow }

    private mutating func add(_ kind: FlowGraph.VertexKind, node: Int) -> Int {
        vertices.append(FlowGraph.Vertex(kind: kind, node: node))
        edges.append([])
        return vertices.count - 1
    }

    private mutating func edge(_ from: Int, _ to: Int, _ kind: FlowGraph.EdgeKind, _ range: SourceRange? = nil,
                               builtin: BuiltinTarget? = nil) {
        edges[from].append(FlowGraph.Edge(target: to, kind: kind, range: range, builtin: builtin))
    }

    mutating func build() {
        _ = add(.end, node: -1)
        for (i, node) in flow.nodes.enumerated() {
            nodeEntries.append(add(.node(i), node: i))
            if nodeIndex[node.name.value] == nil { nodeIndex[node.name.value] = i }
        }
        if let name = flow.startNodeName, let i = nodeIndex[name] { start = nodeEntries[i] }
        for (i, node) in flow.nodes.enumerated() {
            work.append(Work(steps: node.steps, entry: nodeEntries[i], continuation: FlowGraph.end, node: i))
            // Node bodies first, in file order; inline targets as they are found.
            while let next = work.popLast() { layOut(next) }
        }
    }

    private mutating func layOut(_ w: Work) {
        let ids = w.steps.map { add(.step($0), node: w.node) }
        edge(w.entry, ids.first ?? w.continuation, .next)
        var inner: [Work] = []
        for (i, step) in w.steps.enumerated() {
            let id = ids[i]
            let after = i + 1 < ids.count ? ids[i + 1] : w.continuation
            switch step.kind {
            case .say, .play, .set:
                edge(id, after, .next)
            case .record:
                edge(id, after, .recorded)
            case .webhook(let hook):
                edge(id, after, .webhookOK)
                target(hook.onError, from: id, .webhookError, w, &inner)
            case .transfer(let t):
                edge(id, FlowGraph.end, .transferred, t.destination.value.range)
                if t.destination.kind == .ivr {
                    flowEdges.append(FlowGraph.FlowEdge(from: id, flow: t.destination.value.value.raw,
                                                        range: t.destination.value.range))
                }
                target(t.onFail, from: id, .transferFailed, w, &inner)
            case .hangup:
                edge(id, FlowGraph.end, .hangup, step.keyRange)
            case .goto(let t):
                target(t, from: id, .jump, w, &inner)
            case .menu(let m):
                menus.append(id)
                let retry = add(.retry(id), node: w.node)
                for option in m.options {
                    target(option.target, from: id, .key(option.key.value), w, &inner, menu: id, wait: id)
                }
                if m.dialByExtension != nil { edge(id, FlowGraph.end, .extensionDialled) }
                handlers(m.onTimeout, m.onInvalid, m.onExhausted, id: id, retry: retry, menu: id, w, &inner)
            case .capture(let c):
                let retry = add(.retry(id), node: w.node)
                edge(id, after, .captured)
                handlers(c.onTimeout, c.onInvalid, c.onExhausted, id: id, retry: retry, menu: w.menu, w, &inner)
            case .branch(let b):
                for (n, arm) in b.arms.enumerated() { target(arm.then, from: id, .arm(n), w, &inner, then: after) }
                if let otherwise = b.otherwise {
                    target(otherwise, from: id, .otherwise, w, &inner, then: after)
                } else {
                    edge(id, after, .noArm)
                }
            }
        }
        // Depth-first in source order: the first inline target is laid out next.
        work.append(contentsOf: inner.reversed())
    }

    private mutating func handlers(
        _ onTimeout: Target?, _ onInvalid: Target?, _ onExhausted: Target?, id: Int, retry: Int, menu: Int?,
        _ w: Work, _ inner: inout [Work]
    ) {
        for (handler, kind) in [(onTimeout, FlowGraph.EdgeKind.timeout), (onInvalid, .invalid)] {
            if let handler {
                target(handler, from: id, kind, w, &inner, then: retry, menu: menu, wait: id)
            } else {
                edge(id, retry, kind)
            }
        }
        edge(retry, id, .again)
        target(onExhausted, from: retry, .exhausted, w, &inner, menu: menu, wait: id)
    }

    /// An edge to a target; inline steps are queued on `inner` with their continuation.
    private mutating func target(
        _ t: Target?, from: Int, _ kind: FlowGraph.EdgeKind, _ w: Work, _ inner: inout [Work],
        then continuation: Int = FlowGraph.end, menu: Int?? = nil, wait: Int?? = nil
    ) {
        let menu = menu ?? w.menu
        let wait = wait ?? w.wait
        guard let t else {
            edge(from, FlowGraph.end, kind)
            return
        }
        switch t {
        case .node(let name):
            if let n = nodeIndex[name.value] {
                edge(from, nodeEntries[n], kind, name.range)
            } else {
                edge(from, FlowGraph.end, kind, name.range)
                unresolved.append(from)
            }
        case .builtin(let b):
            switch b.value {
            case .hangup: edge(from, FlowGraph.end, kind, b.range, builtin: .hangup)
            case .top: edge(from, start ?? FlowGraph.end, kind, b.range, builtin: .top)
            case .repeat:
                if let wait {
                    edge(from, wait, kind, b.range, builtin: .repeat)
                } else {
                    pendingDynamic.append(PendingDynamic(builtin: .repeat, from: from, kind: kind, range: b.range, menu: nil))
                }
            case .back:
                pendingDynamic.append(PendingDynamic(builtin: .back, from: from, kind: kind, range: b.range, menu: menu))
            }
        case .inline(let steps, let range):
            let entry = add(.inline(range), node: w.node)
            edge(from, entry, kind, range)
            inner.append(Work(steps: steps, entry: entry, continuation: continuation, node: w.node, menu: menu, wait: wait))
        }
    }
}
