import IVRSyntax

extension FlowGraph {
    /// Which menus can be on top of the runtime's menu stack at each vertex
    /// (a may-analysis over the graph without dynamic edges): entering a
    /// menu puts it on top; `top` empties the stack.
    ///
    /// Dynamic edges (`back`, `repeat` outside a menu) only lead into menus,
    /// and a menu's vertex puts itself on top whatever came in, so leaving
    /// them out changes no answer: `back` inside menu M goes to the menus
    /// that can be under M (on top when M was entered, M itself aside).
    func menuStackTops() -> [BitSet] {
        var ordinal = Array(repeating: -1, count: vertexCount)
        for (i, m) in menus.enumerated() { ordinal[m] = i }
        var tops = Array(repeating: BitSet(capacity: menus.count), count: vertexCount)
        var queued = BitSet(capacity: vertexCount)
        var work: [Int] = []
        for v in 0..<vertexCount where ordinal[v] >= 0 || v == start {
            work.append(v)
            queued.insert(v)
        }
        while let v = work.popLast() {
            queued.remove(v)
            var out = tops[v]
            if ordinal[v] >= 0 {
                out = BitSet(capacity: menus.count)
                out.insert(ordinal[v])
            }
            for edge in edges[v] {
                if edge.builtin == .top { continue }
                if tops[edge.target].formUnion(out), queued.insert(edge.target) { work.append(edge.target) }
            }
        }
        return tops
    }

    mutating func resolveDynamicTargets(_ pending: [FlowGraphBuilder.PendingDynamic]) {
        guard !pending.isEmpty else { return }
        let tops = menuStackTops()
        for p in pending {
            var candidates: BitSet
            if let menu = p.menu, let ordinal = menus.firstIndex(of: menu) {
                candidates = tops[menu]
                candidates.remove(ordinal)
            } else {
                candidates = tops[p.from]
            }
            let targets = candidates.members.map { menus[$0] }
            for t in targets { edges[p.from].append(Edge(target: t, kind: p.kind, range: p.range, builtin: p.builtin)) }
            if targets.isEmpty {
                // The runtime restarts at the start node when the stack is
                // empty. A `back` there is an error of its own (E212); its
                // edge ends the path so that loops through it are not
                // reported again.
                let restart = p.builtin == .back ? FlowGraph.end : (start ?? FlowGraph.end)
                edges[p.from].append(Edge(target: restart, kind: p.kind, range: p.range, builtin: p.builtin))
            }
            dynamicTargets.append(DynamicTarget(builtin: p.builtin, from: p.from, kind: p.kind, range: p.range, menus: targets))
        }
    }
}
