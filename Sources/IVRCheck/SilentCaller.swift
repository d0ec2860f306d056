import IVRSyntax

/// E303: a caller who never presses a key must eventually be disconnected.
/// Following only what silence does (timeouts, `on-exhausted`, jumps and
/// fall-through, a webhook's normal outcome) from the start, no loop may
/// come back to a wait: the classic bug is an `on-exhausted` that leads
/// back into the same menu, which starts over with fresh attempts.
///
/// Branch arms, webhook errors and failed transfers may lead into such a
/// loop but do not close one (a condition can end it), and a menu's own
/// attempts are bounded, so they do not count as a loop either.
enum SilentCaller: FlowCheck {
    static func run(_ index: FlowIndex, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = index.graph
        guard let start = graph.start else { return }
        let broken = BrokenNodes(index.flow, context)
        let usable = { (v: Int) in !graph.uncertain.contains(v) && !broken.contains(vertex: v, in: graph) }
        let reached = graph.reach(from: [start]) { !$0.kind.needsKeys && usable($0.target) }
        let silent = { (e: FlowGraph.Edge) in
            !e.kind.needsKeys && !e.kind.isConditional && e.kind != .again && usable(e.target)
        }
        let scc = StronglyConnected(vertexCount: graph.vertexCount) { v in
            usable(v) ? graph.edges[v].filter(silent).map(\.target) : []
        }
        // Components that wait inside (otherwise the loop is E301's).
        var waiting = Set<Int>()
        for v in 0..<graph.vertexCount where reached.contains(v) {
            for e in graph.edges[v] where silent(e) && e.kind.waits && scc.component[e.target] == scc.component[v] {
                waiting.insert(scc.component[v])
            }
        }
        let order = graph.discoveryOrder { !$0.kind.needsKeys }
        var entry: [Int: Int] = [:]
        for v in 0..<graph.vertexCount where reached.contains(v) && waiting.contains(scc.component[v]) {
            let c = scc.component[v]
            if let e = entry[c], (order[e], e) <= (order[v], v) { continue }
            entry[c] = v
        }
        for e in entry.values.sorted() {
            guard let cycle = graph.cycle(through: e, inside: { scc.component[$0] == scc.component[e] }, along: silent)
            else { continue }
            out.append(.silentLoop(cycle, graph))
        }
    }
}

fileprivate extension Diagnostic {
    static func silentLoop(_ cycle: [(from: Int, edge: FlowGraph.Edge)], _ graph: FlowGraph) -> Diagnostic {
        let range = graph.closingRange(of: cycle)
        return Diagnostic(
            .E303, "a caller who never presses a key is never disconnected: silence leads around this loop forever",
            file: graph.flow.file, range: range,
            notes: [Note("the silent path: \(graph.describe(cycle: cycle)); it closes here", file: graph.flow.file, range: range)],
            help: "let silence end the call: make on-exhausted transfer to a person or say goodbye and hang up")
    }
}
