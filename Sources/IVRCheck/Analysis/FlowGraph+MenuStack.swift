import IVRSyntax

extension FlowGraph {
    /// The menus that can be on top of the runtime's menu stack when `v`
    /// runs: menus with a path to `v` through no other menu and no `top`
    /// (which empties the stack). A backward walk from `v` that stops at
    /// menus; dynamic edges are not there yet and need not be: they only
    /// lead into menus, which put themselves on top whatever came in.
    ///
    /// `back` inside menu M goes to the menus that can be under M: on top
    /// when M was entered, M itself aside. (Re-entering a menu already on
    /// the stack drops what is above it; this may-answer keeps those
    /// menus, so it can only miss an E212, never invent one.)
    /// `stamp` marks visited vertices with `generation` (shared between
    /// walks so that each costs only what it visits).
    func menusOnTop(before v: Int, reverse: ReverseEdges, isMenu: BitSet, stamp: inout [Int], generation: Int) -> [Int] {
        var found: [Int] = []
        var stack = [v]
        stamp[v] = generation
        while let w = stack.popLast() {
            for i in reverse.offsets[w]..<reverse.offsets[w + 1] {
                let u = reverse.sources[i]
                guard stamp[u] != generation else { continue }
                stamp[u] = generation
                if isMenu.contains(u) { found.append(u) } else { stack.append(u) }
            }
        }
        return found.sorted()
    }

    /// Resolves `back` and `repeat` outside a menu; returns the edges to add
    /// (with their sources) and records `dynamicTargets`.
    mutating func resolveDynamicTargets(
        _ pending: [FlowGraphBuilder.PendingDynamic], from edgeFrom: [Int], _ edgeList: [Edge]
    ) -> (from: [Int], edges: [Edge]) {
        guard !pending.isEmpty else { return ([], []) }
        var isMenu = BitSet(capacity: vertexCount)
        for m in menus { isMenu.insert(m) }
        let reverse = ReverseEdges(vertexCount: vertexCount, from: edgeFrom, edgeList)
        var memo: [Int: [Int]] = [:]
        var stamp = Array(repeating: -1, count: vertexCount)
        var addedFrom: [Int] = []
        var added: [Edge] = []
        for p in pending {
            let query = p.menu ?? p.from
            let before = memo[query]
                ?? menusOnTop(before: query, reverse: reverse, isMenu: isMenu, stamp: &stamp, generation: memo.count)
            memo[query] = before
            // Outside a menu the menu on top is where `back` and `repeat` return.
            var targets = p.menu == nil && isMenu.contains(p.from) ? [p.from] : before
            if let menu = p.menu { targets.removeAll { $0 == menu } }
            for t in targets {
                addedFrom.append(p.from)
                added.append(Edge(target: t, kind: p.kind, range: p.range, builtin: p.builtin))
            }
            if targets.isEmpty {
                // The runtime restarts at the start node when the stack is
                // empty. A `back` there is an error of its own (E212); its
                // edge ends the path so that loops through it are not
                // reported again.
                let restart = p.builtin == .back ? FlowGraph.end : (start ?? FlowGraph.end)
                addedFrom.append(p.from)
                added.append(Edge(target: restart, kind: p.kind, range: p.range, builtin: p.builtin))
            }
            dynamicTargets.append(DynamicTarget(builtin: p.builtin, from: p.from, kind: p.kind, range: p.range, menus: targets))
        }
        return (addedFrom, added)
    }
}

/// The sources of the edges into each vertex (`top` edges left out: they
/// empty the menu stack), grouped by target.
struct ReverseEdges {
    var offsets: [Int]
    var sources: [Int]

    init(vertexCount: Int, from: [Int], _ list: [FlowGraph.Edge]) {
        offsets = Array(repeating: 0, count: vertexCount + 1)
        for edge in list where edge.builtin != .top { offsets[edge.target + 1] += 1 }
        for v in 0..<vertexCount { offsets[v + 1] += offsets[v] }
        var fill = offsets
        sources = Array(repeating: 0, count: offsets[vertexCount])
        for i in list.indices where list[i].builtin != .top {
            let t = list[i].target
            sources[fill[t]] = from[i]
            fill[t] += 1
        }
    }
}
