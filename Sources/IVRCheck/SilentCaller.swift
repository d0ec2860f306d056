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
enum SilentCaller: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = analysis.graph
        guard let start = graph.start else { return }
        let usable = analysis.usable
        typealias Flags = FlowGraph.Flags
        let reached = graph.reach(from: [start], excluding: Flags.needsKeys, inside: usable)
        let loud = Flags.needsKeys | Flags.conditional | Flags.again
        let silent = { (e: FlowGraph.Edge) in
            !e.kind.needsKeys && !e.kind.isConditional && e.kind != .again && usable.contains(e.target)
        }
        // Every vertex of a silent cycle through a reached vertex is reached.
        var from = usable
        from.formIntersection(reached)
        let restricted = graph.restricted(from: from, to: usable, excluding: loud)
        let scc = StronglyConnected(vertexCount: graph.vertexCount, offsets: restricted.offsets, targets: restricted.targets)
        guard scc.isCyclic.contains(true) else { return }
        // Components that wait inside (otherwise the loop is E301's).
        var waiting = Set<Int>()
        for v in reached.members {
            for i in graph.edges.offsets[v]..<graph.edges.offsets[v + 1] {
                let t = graph.edgeTargets[i], flags = graph.edgeFlags[i]
                if flags & loud == 0, flags & Flags.waits != 0, usable.contains(t), scc.component[t] == scc.component[v] {
                    waiting.insert(scc.component[v])
                }
            }
        }
        guard !waiting.isEmpty else { return }
        let order = graph.discoveryOrder { !$0.kind.needsKeys }
        var entry: [Int: Int] = [:]
        for v in reached.members where waiting.contains(scc.component[v]) {
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
