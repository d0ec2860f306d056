import IVRSyntax

extension FlowGraph {
    /// The order in which a breadth-first walk from the start along `follow`
    /// meets each vertex (`Int.max` for vertices it never meets).
    public func discoveryOrder(along follow: (Edge) -> Bool) -> [Int] {
        var order = Array(repeating: Int.max, count: vertexCount)
        guard let start else { return order }
        var queue = [start]
        order[start] = 0
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for edge in edges[v] where follow(edge) && order[edge.target] == Int.max {
                order[edge.target] = queue.count
                queue.append(edge.target)
            }
        }
        return order
    }

    /// The shortest cycle through `entry` that stays inside `inside` and
    /// follows only edges `follow` accepts, as (from, edge) pairs; the last
    /// edge closes the cycle. Nil when there is none.
    public func cycle(through entry: Int, inside: (Int) -> Bool, along follow: (Edge) -> Bool) -> [(from: Int, edge: Edge)]? {
        var parent: [Int: (from: Int, edge: Edge)] = [:]
        var queue = [entry]
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for edge in edges[v] where follow(edge) && inside(edge.target) {
                if edge.target == entry {
                    var path = [(from: v, edge: edge)]
                    var at = v
                    while at != entry, let step = parent[at] {
                        path.append(step)
                        at = step.from
                    }
                    return path.reversed()
                }
                if parent[edge.target] == nil {
                    parent[edge.target] = (v, edge)
                    queue.append(edge.target)
                }
            }
        }
        return nil
    }

    /// The named nodes a cycle passes through, as `main -> hold -> main`.
    public func describe(cycle: [(from: Int, edge: Edge)]) -> String {
        guard let first = cycle.first else { return "" }
        var names = [nodeName(of: first.from)]
        var current = vertices[first.from].node
        for step in cycle {
            let target = step.edge.target
            let isEntry = if case .node = vertices[target].kind { true } else { false }
            if isEntry || vertices[target].node != current {
                names.append(nodeName(of: target))
                current = vertices[target].node
            }
        }
        if names.count == 1 { names.append(names[0]) }
        return names.joined(separator: " -> ")
    }

    /// Where a cycle closes: the target written on its last edge, else the step it leaves.
    public func closingRange(of cycle: [(from: Int, edge: Edge)]) -> SourceRange {
        guard let last = cycle.last else { return flow.range }
        return last.edge.range ?? range(of: last.from)
    }

    /// Vertices from which some edge `follow` accepts leads to a vertex in `targets`.
    public func coReach(_ targets: BitSet, along follow: (Edge) -> Bool) -> BitSet {
        var reverse = Array(repeating: [Int](), count: vertexCount)
        for v in 0..<vertexCount {
            for edge in edges[v] where follow(edge) { reverse[edge.target].append(v) }
        }
        var seen = targets
        var stack = targets.members
        while let v = stack.popLast() {
            for u in reverse[v] where seen.insert(u) { stack.append(u) }
        }
        return seen
    }
}

/// Nodes whose analysis would only repeat a structural error: malformed
/// nodes, and nodes holding an error reported when the flow was read.
struct BrokenNodes {
    let nodes: [Bool]
    let any: Bool

    init(_ flow: Flow, _ context: CheckContext) {
        var broken = flow.nodes.map(\.isMalformed)
        // A node whose name is taken by an earlier node cannot be reached by name.
        var names = Set<String>()
        for (i, node) in flow.nodes.enumerated() where !names.insert(node.name.value).inserted { broken[i] = true }
        let errors = context.project.diagnostics.filter { $0.file == flow.file && $0.severity == .error }
        if !errors.isEmpty {
            for (i, node) in flow.nodes.enumerated() where !broken[i] {
                // From the node's name (a duplicate name is reported there) to the end of its value.
                let start = node.name.range.start.offset, end = max(node.range.end.offset, node.name.range.end.offset)
                broken[i] = errors.contains { $0.range.start.offset >= start && $0.range.start.offset < end }
            }
        }
        nodes = broken
        any = broken.contains(true)
    }

    func contains(vertex v: Int, in graph: FlowGraph) -> Bool {
        let n = graph.vertices[v].node
        return n >= 0 && n < nodes.count && nodes[n]
    }
}
