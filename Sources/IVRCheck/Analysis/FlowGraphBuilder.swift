import IVRSyntax

extension FlowGraph {
    /// Builds the graph of `flow`: one pass over its step lists (with an
    /// explicit work list, not recursion), then `back` and dynamic `repeat`
    /// resolved over the menu stack, then the edges grouped by vertex and
    /// reachability from the start.
    public init(_ flow: Flow) {
        self.flow = flow
        self.reachable = BitSet(capacity: 0)
        var builder = FlowGraphBuilder(flow: flow)
        builder.build()
        vertices = builder.vertices
        steps = builder.steps
        nodeEntries = builder.nodeEntries
        nodeIndex = builder.nodeIndex
        start = builder.start
        flowEdges = builder.flowEdges
        menus = builder.menus
        builder.variables.finish(vertices)
        variables = builder.variables
        var uncertain = BitSet(capacity: vertices.count)
        for v in vertices.indices {
            let n = vertices[v].node
            if n >= 0, flow.nodes[n].isMalformed { uncertain.insert(v) }
        }
        for v in builder.unresolved { uncertain.insert(v) }
        self.uncertain = uncertain
        let dynamic = resolveDynamicTargets(builder.pendingDynamic, from: builder.edgeFrom, builder.edgeList)
        builder.edgeFrom += dynamic.from
        builder.edgeList += dynamic.edges
        group(from: builder.edgeFrom, builder.edgeList)
        reachable = reach(from: start.map { [$0] } ?? [], along: { _ in true })
    }

    /// Lays the edges out by source vertex, keeping each vertex's edges in
    /// the order they were made (a stable counting sort).
    private mutating func group(from: [Int], _ list: [Edge]) {
        var offsets = Array(repeating: 0, count: vertices.count + 1)
        for f in from { offsets[f + 1] += 1 }
        for v in 0..<vertices.count { offsets[v + 1] += offsets[v] }
        var fill = offsets
        let placeholder = Edge(target: 0, kind: .next, range: nil)
        var all = Array(repeating: placeholder, count: list.count)
        var targets = Array(repeating: 0, count: list.count)
        var flags = Array(repeating: UInt8(0), count: list.count)
        for i in list.indices {
            let slot = fill[from[i]]
            fill[from[i]] += 1
            let edge = list[i]
            all[slot] = edge
            targets[slot] = edge.target
            flags[slot] = edge.kind.flags | (edge.builtin == .top ? Flags.top : 0)
        }
        edges = Adjacency(all: all, offsets: offsets)
        edgeTargets = targets
        edgeFlags = flags
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
    var steps: [Step] = []
    var variables: FlowVariables
    /// Every edge, in the order made, with its source vertex.
    var edgeFrom: [Int] = []
    var edgeList: [FlowGraph.Edge] = []
    var nodeEntries: [Int] = []
    var start: Int?
    var flowEdges: [FlowGraph.FlowEdge] = []
    var menus: [Int] = []
    var unresolved: [Int] = []
    var pendingDynamic: [PendingDynamic] = []
    let nodeIndex: NodeNames
    private var work: [Work] = []

    init(flow: Flow) {
        self.flow = flow
        nodeIndex = NodeNames(flow.nodes)
        variables = FlowVariables(inputs: flow.inputs.map(\.value))
    }

    private mutating func add(_ kind: FlowGraph.VertexKind, node: Int) -> Int {
        vertices.append(FlowGraph.Vertex(kind: kind, node: node))
        return vertices.count - 1
    }

    private mutating func edge(_ from: Int, _ to: Int, _ kind: FlowGraph.EdgeKind, _ range: SourceRange? = nil,
                               builtin: BuiltinTarget? = nil) {
        edgeFrom.append(from)
        edgeList.append(FlowGraph.Edge(target: to, kind: kind, range: range, builtin: builtin))
    }

    mutating func build() {
        vertices.reserveCapacity(flow.nodes.count * 8)
        edgeFrom.reserveCapacity(flow.nodes.count * 16)
        edgeList.reserveCapacity(flow.nodes.count * 16)
        steps.reserveCapacity(flow.nodes.count * 8)
        _ = add(.end, node: -1)
        for i in flow.nodes.indices {
            nodeEntries.append(add(.node(i), node: i))
        }
        if let name = flow.startNodeName, let i = nodeIndex[name] { start = nodeEntries[i] }
        for (i, node) in flow.nodes.enumerated() {
            work.append(Work(steps: node.steps, entry: nodeEntries[i], continuation: FlowGraph.end, node: i))
            // Node bodies first, in file order; inline targets as they are found.
            while let next = work.popLast() { layOut(next) }
        }
    }

    private mutating func layOut(_ w: Work) {
        // The step vertices are consecutive: `first + i` is step `i`.
        let first = vertices.count
        let count = w.steps.count
        let base = steps.count
        steps.append(contentsOf: w.steps)
        for k in 0..<count { _ = add(.step(base + k), node: w.node) }
        edge(w.entry, count > 0 ? first : w.continuation, .next)
        let innerStart = work.count
        // One look at each step's payload: its edges and what it reads and writes.
        for i in 0..<count {
            let id = first + i
            let after = i + 1 < count ? id + 1 : w.continuation
            switch w.steps[i].kind {
            case .say(let say):
                variables.gather(say: say)
                edge(id, after, .next)
            case .play, .wait:
                edge(id, after, .next)
            case .set(let set):
                variables.gather(set: set)
                edge(id, after, .next)
            case .record(let r):
                variables.gatherWrite(r.into)
                edge(id, after, .recorded)
            case .webhook(let hook):
                variables.gather(webhook: hook)
                edge(id, after, .webhookOK)
                target(hook.onError, from: id, .webhookError, w)
            case .transfer(let t):
                variables.gather(transfer: t)
                let value = t.destination.value
                edge(id, FlowGraph.end, .transferred, value.range)
                if t.destination.kind == .ivr {
                    flowEdges.append(FlowGraph.FlowEdge(from: id, flow: value.value.raw, range: value.range))
                }
                target(t.onFail, from: id, .transferFailed, w)
            case .hangup:
                edge(id, FlowGraph.end, .hangup, w.steps[i].keyRange)
            case .goto(let t):
                target(t, from: id, .jump, w)
            case .menu(let m):
                variables.gather(menu: m)
                menus.append(id)
                let retry = add(.retry(id), node: w.node)
                for option in m.options {
                    target(option.target, from: id, .key(option.key.value), w, menu: id, wait: id)
                }
                if m.dialByExtension != nil { edge(id, FlowGraph.end, .extensionDialled) }
                handlers(m.onTimeout, m.onInvalid, m.onExhausted, id: id, retry: retry, menu: id, w)
            case .capture(let c):
                variables.gather(capture: c)
                let retry = add(.retry(id), node: w.node)
                edge(id, after, .captured)
                handlers(c.onTimeout, c.onInvalid, c.onExhausted, id: id, retry: retry, menu: w.menu, w)
            case .branch(let b):
                variables.gather(branch: b)
                for (n, arm) in b.arms.enumerated() { target(arm.then, from: id, .arm(n), w, then: after) }
                if let otherwise = b.otherwise {
                    target(otherwise, from: id, .otherwise, w, then: after)
                } else {
                    edge(id, after, .noArm)
                }
            }
            variables.endStep()
        }
        // Depth-first in source order: the first inline target is laid out next.
        work[innerStart...].reverse()
    }

    private mutating func handlers(
        _ onTimeout: Target?, _ onInvalid: Target?, _ onExhausted: Target?, id: Int, retry: Int, menu: Int?, _ w: Work
    ) {
        if let onTimeout {
            target(onTimeout, from: id, .timeout, w, then: retry, menu: menu, wait: id)
        } else {
            edge(id, retry, .timeout)
        }
        if let onInvalid {
            target(onInvalid, from: id, .invalid, w, then: retry, menu: menu, wait: id)
        } else {
            edge(id, retry, .invalid)
        }
        edge(retry, id, .again)
        target(onExhausted, from: retry, .exhausted, w, menu: menu, wait: id)
    }

    /// An edge to a target; inline steps are queued on `work` with their continuation.
    private mutating func target(
        _ t: Target?, from: Int, _ kind: FlowGraph.EdgeKind, _ w: Work,
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
            work.append(Work(steps: steps, entry: entry, continuation: continuation, node: w.node, menu: menu, wait: wait))
        }
    }
}
