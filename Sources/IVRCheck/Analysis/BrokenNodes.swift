import IVRSyntax

/// Nodes whose analysis would only repeat a structural error: malformed
/// nodes, and nodes holding an error reported when the flow was read.
struct BrokenNodes: Sendable {
    let nodes: [Bool]
    let any: Bool

    init(_ index: FlowIndex, _ context: CheckContext) {
        let flow = index.flow
        var broken = flow.nodes.map(\.isMalformed)
        // A node whose name is taken by an earlier node cannot be reached by name.
        if index.nodeIndex.count < flow.nodes.count {
            for (i, node) in flow.nodes.enumerated() where index.nodeIndex[node.name.value] != i { broken[i] = true }
        }
        let errors = context.project.diagnostics.filter { $0.file == flow.file && $0.severity == .error }
            .map(\.range.start.offset).sorted()
        if !errors.isEmpty {
            for (i, node) in flow.nodes.enumerated() where !broken[i] {
                // From the node's name (a duplicate name is reported there) to the end of its value.
                let start = node.name.range.start.offset, end = max(node.range.end.offset, node.name.range.end.offset)
                // The first error at or after `start`, by binary search.
                var low = 0, high = errors.count
                while low < high {
                    let mid = (low + high) / 2
                    if errors[mid] < start { low = mid + 1 } else { high = mid }
                }
                broken[i] = low < errors.count && errors[low] < end
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
