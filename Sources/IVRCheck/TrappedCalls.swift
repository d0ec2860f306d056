import IVRSyntax

/// E302: parts of a flow from which no path leads to a transfer or a
/// hangup: once there, the call can never end. Reported once per trap (a
/// closed set of nodes with no way out), not at every node leading into it,
/// and not for a trap that is only a loop already reported as E301.
enum TrappedCalls: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = analysis.graph
        // Uncertain and broken vertices count as ends: their way out may be missing.
        var ends = BitSet.full(capacity: graph.vertexCount)
        ends.formSymmetricDifference(analysis.usable)
        ends.insert(FlowGraph.end)
        let canEnd = graph.coReach(ends)
        var trapped = BitSet.full(capacity: graph.vertexCount)
        trapped.formSymmetricDifference(canEnd)
        guard !trapped.isEmpty else { return }
        let restricted = graph.restricted(from: trapped, to: trapped, excluding: 0)
        let scc = StronglyConnected(vertexCount: graph.vertexCount, offsets: restricted.offsets, targets: restricted.targets)
        var spinning = Set<Int>()
        for loop in analysis.spinningLoops {
            for step in loop { spinning.insert(scc.component[step.from]) }
        }
        // A trap is a component whose edges all stay inside it.
        var members: [Int: [Int]] = [:]
        var leaves = Set<Int>()
        for v in trapped.members {
            let c = scc.component[v]
            members[c, default: []].append(v)
            if graph.successors(v).contains(where: { scc.component[$0] != c }) { leaves.insert(c) }
        }
        let hasStart = graph.start != nil
        for (c, vertices) in members.sorted(by: { $0.value[0] < $1.value[0] })
        where !leaves.contains(c) && !spinning.contains(c) {
            if hasStart, !vertices.contains(where: graph.reachable.contains) { continue }
            out.append(.trapped(vertices, graph))
        }
    }
}

fileprivate extension Diagnostic {
    static func trapped(_ vertices: [Int], _ graph: FlowGraph) -> Diagnostic {
        var names: [String] = []
        for v in vertices where !names.contains(graph.nodeName(of: v)) { names.append(graph.nodeName(of: v)) }
        let entries = vertices.filter { if case .node = graph.vertices[$0].kind { true } else { false } }
        let at = entries.first ?? vertices[0]
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        return Diagnostic(
            .E302, names.count == 1 ? "the call can never end once it reaches \(list): no path leads to a transfer or a hangup"
                : "the call can never end once it reaches \(list): no path from these nodes leads to a transfer or a hangup",
            file: graph.flow.file, range: graph.range(of: at),
            help: "give the loop a way out: an option or an on-exhausted that transfers or hangs up")
    }
}
