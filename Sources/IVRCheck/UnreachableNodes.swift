import IVRSyntax

/// W207: a node no path from the start node reaches. Skipped when the
/// start is unknown (E201) or a node of the flow is malformed (its missing
/// targets might be the way in).
enum UnreachableNodes: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = analysis.graph
        guard let start = graph.start, !analysis.broken.any,
              graph.uncertain.isEmpty else { return }
        let startName = graph.nodeName(of: start)
        for (i, node) in analysis.flow.nodes.enumerated() where !graph.reachable.contains(graph.nodeEntries[i]) {
            out.append(.unreachable(node, start: startName, in: analysis.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func unreachable(_ node: Node, start: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.W207, "node '\(node.name.value)' is never reached from the start node '\(start)'",
                   file: flow.file, range: node.name.range,
                   help: "lead to it from a menu option or a goto, or remove it")
    }
}
