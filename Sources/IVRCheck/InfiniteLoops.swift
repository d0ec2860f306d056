import IVRSyntax

/// E301: a cycle that never waits for the caller (two nodes that `goto`
/// each other, a webhook retried from its own `on-error`, branch arms that
/// loop). Every edge counts, conditions included: such a loop spins as
/// long as its condition holds, without a prompt or a pause; only a loop
/// that counts its own turns (a condition on a variable the loop writes)
/// is taken to end. Reported once per loop, where it closes, with the loop
/// as a path.
enum InfiniteLoops: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        for loop in analysis.spinningLoops where !isCounted(loop, analysis.graph, analysis.variables) {
            out.append(.spinningLoop(loop, analysis.graph))
        }
    }

    /// A retry loop that counts its turns can end: a branch on the loop tests
    /// a variable that a `set` on the loop writes (`set: {tries: "${tries}x"}`
    /// then `if: len(tries) < 3`). Loops whose conditions nothing on the
    /// loop changes (a webhook retried from its own `on-error`, `open()`)
    /// spin for as long as the world says so, and stay E301.
    static func isCounted(_ loop: [(from: Int, edge: FlowGraph.Edge)], _ graph: FlowGraph, _ variables: FlowVariables) -> Bool {
        var written = Set<String>()
        for hop in loop {
            // Only `set` counts: a webhook's answer polled in a loop is the world's to change.
            guard case .step(let i) = graph.vertices[hop.from].kind, case .set = graph.steps[i].kind else { continue }
            for w in variables.writes(of: hop.from) { written.insert(w.name.value) }
        }
        guard !written.isEmpty else { return false }
        return loop.contains { hop in
            variables.reads(of: hop.from).contains { $0.place == .condition && written.contains($0.root) }
        }
    }

    /// The cycles without a wait among `usable` vertices, one per strongly
    /// connected component, each entered where a walk from the start first meets it.
    static func loops(_ graph: FlowGraph, usable: BitSet) -> [[(from: Int, edge: FlowGraph.Edge)]] {
        let restricted = graph.restricted(from: usable, to: usable, excluding: FlowGraph.Flags.waits)
        let scc = StronglyConnected(vertexCount: graph.vertexCount, offsets: restricted.offsets, targets: restricted.targets)
        guard scc.isCyclic.contains(true) else { return [] }
        let follow = { (e: FlowGraph.Edge) in !e.kind.waits && usable.contains(e.target) }
        let order = graph.discoveryOrder { _ in true }
        var entry: [Int: Int] = [:]
        for v in 0..<graph.vertexCount where scc.isCyclic[scc.component[v]] {
            let c = scc.component[v]
            if let e = entry[c], (order[e], e) <= (order[v], v) { continue }
            entry[c] = v
        }
        return entry.values.sorted().compactMap { e in
            graph.cycle(through: e, inside: { scc.component[$0] == scc.component[e] }, along: follow)
        }
    }
}

fileprivate extension Diagnostic {
    static func spinningLoop(_ cycle: [(from: Int, edge: FlowGraph.Edge)], _ graph: FlowGraph) -> Diagnostic {
        let range = graph.closingRange(of: cycle)
        return Diagnostic(
            .E301, "this loop never waits for the caller: the call would spin here forever",
            file: graph.flow.file, range: range,
            notes: [Note("the loop: \(graph.describe(cycle: cycle)); it closes here", file: graph.flow.file, range: range)],
            help: "put a menu or capture in the loop, or end it with a transfer or a hangup")
    }
}
