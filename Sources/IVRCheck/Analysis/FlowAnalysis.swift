import IVRSyntax

/// What the checks of one flow share, each computed once: the index (steps,
/// targets, graph), the broken nodes, the vertices the analyses trust, the
/// variables read and written, and the loops that never wait (E301, which
/// E302 leaves out).
struct FlowAnalysis {
    let index: FlowIndex
    let broken: BrokenNodes
    /// Vertices whose edges are complete: not uncertain, not in a broken node.
    let usable: BitSet
    let variables: FlowVariables
    /// The cycles without a wait, one per strongly connected component (see `InfiniteLoops`).
    let spinningLoops: [[(from: Int, edge: FlowGraph.Edge)]]

    init(_ index: FlowIndex, _ context: CheckContext) {
        self.index = index
        let graph = index.graph
        broken = BrokenNodes(index.flow, graph, context)
        var usable = BitSet.full(capacity: graph.vertexCount)
        for v in 0..<graph.vertexCount where graph.uncertain.contains(v) || broken.contains(vertex: v, in: graph) {
            usable.remove(v)
        }
        self.usable = usable
        variables = graph.variables
        spinningLoops = InfiniteLoops.loops(graph, usable: usable)
    }

    var flow: Flow { index.flow }
    var graph: FlowGraph { index.graph }
    var steps: [FlowIndex.StepEntry] { index.steps }
    var targets: [FlowIndex.TargetEntry] { index.targets }
    var stepLists: [[Step]] { index.stepLists }
}
