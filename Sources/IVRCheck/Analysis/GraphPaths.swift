import IVRSyntax

extension FlowGraph {
    /// Vertices reachable from `roots` along the edges `follow` accepts.
    public func reach(from roots: [Int], along follow: (Edge) -> Bool) -> BitSet {
        var seen = BitSet(capacity: vertexCount)
        var stack = roots
        for r in roots { seen.insert(r) }
        while let v = stack.popLast() {
            for i in edges.offsets[v]..<edges.offsets[v + 1] where follow(edges.all[i]) && seen.insert(edgeTargets[i]) {
                stack.append(edgeTargets[i])
            }
        }
        return seen
    }

    /// Vertices reachable from `roots` along edges with none of the `Flags` in `excluded`
    /// whose targets are in `inside` (when given).
    func reach(from roots: [Int], excluding excluded: UInt8, inside: BitSet? = nil) -> BitSet {
        var seen = BitSet(capacity: vertexCount)
        var stack = roots
        for r in roots { seen.insert(r) }
        while let v = stack.popLast() {
            for i in edges.offsets[v]..<edges.offsets[v + 1] where edgeFlags[i] & excluded == 0 {
                let t = edgeTargets[i]
                if let inside, !inside.contains(t) { continue }
                if seen.insert(t) { stack.append(t) }
            }
        }
        return seen
    }

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
            for i in edges.offsets[v]..<edges.offsets[v + 1] where order[edgeTargets[i]] == Int.max && follow(edges.all[i]) {
                order[edgeTargets[i]] = queue.count
                queue.append(edgeTargets[i])
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

    /// Vertices from which some path leads to a vertex in `targets`.
    func coReach(_ targets: BitSet) -> BitSet { coReach(targets, along: { _ in true }) }

    /// Vertices from which some edge `follow` accepts leads to a vertex in `targets`.
    public func coReach(_ targets: BitSet, along follow: (Edge) -> Bool) -> BitSet {
        // The accepted edges grouped by target (compressed rows).
        var offsets = Array(repeating: 0, count: vertexCount + 1)
        var accepted = BitSet(capacity: edgeTargets.count)
        for i in edgeTargets.indices where follow(edges.all[i]) {
            accepted.insert(i)
            offsets[edgeTargets[i] + 1] += 1
        }
        for v in 0..<vertexCount { offsets[v + 1] += offsets[v] }
        var fill = offsets
        var sources = Array(repeating: 0, count: offsets[vertexCount])
        for v in 0..<vertexCount {
            for i in edges.offsets[v]..<edges.offsets[v + 1] where accepted.contains(i) {
                sources[fill[edgeTargets[i]]] = v
                fill[edgeTargets[i]] += 1
            }
        }
        var seen = targets
        var stack = targets.members
        while let v = stack.popLast() {
            for i in offsets[v]..<offsets[v + 1] where seen.insert(sources[i]) { stack.append(sources[i]) }
        }
        return seen
    }
}

extension FlowGraph {
    /// The edges, in compressed rows, that leave a vertex of `from`, carry
    /// none of the `Flags` in `excluded` and lead into `to`: the graph an
    /// analysis walks, ready for `StronglyConnected`.
    func restricted(from: BitSet, to: BitSet, excluding excluded: UInt8) -> (offsets: [Int], targets: [Int]) {
        var offsets = Array(repeating: 0, count: vertexCount + 1)
        var targets: [Int] = []
        for v in 0..<vertexCount {
            if from.contains(v) {
                for i in edges.offsets[v]..<edges.offsets[v + 1] where edgeFlags[i] & excluded == 0 && to.contains(edgeTargets[i]) {
                    targets.append(edgeTargets[i])
                }
            }
            offsets[v + 1] = targets.count
        }
        return (offsets, targets)
    }
}
