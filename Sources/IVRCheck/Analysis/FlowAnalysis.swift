import IVRSyntax

/// What the checks of one flow share that needs no control-flow graph: the
/// index (steps, targets, step lists) and the broken nodes. The checks that
/// read only these (`FlowCheck`) can run while the graph is still being built
/// (`CheckScheduler` runs the light ones then).
struct FlowAnalysis: Sendable {
    let index: FlowIndex
    let broken: BrokenNodes

    init(_ index: FlowIndex, _ context: CheckContext) {
        self.index = index
        broken = BrokenNodes(index, context)
    }

    var flow: Flow { index.flow }
    var steps: [FlowIndex.StepEntry] { index.steps }
    var targets: [FlowIndex.TargetEntry] { index.targets }
    var stepLists: [[Step]] { index.stepLists }
}

/// What the graph checks (`GraphCheck`) of one flow share, each computed
/// once: the graph, the vertices the analyses trust, the variables read and
/// written, and (for the checks registered with `needs: .spinningLoops`)
/// the loops that never wait (E301, which E302 leaves out).
struct GraphAnalysis: Sendable {
    let flow: Flow
    let broken: BrokenNodes
    let graph: FlowGraph
    /// Vertices whose edges are complete: not uncertain, not in a broken node.
    let usable: BitSet
    let variables: FlowVariables
    /// The cycles without a wait, one per strongly connected component (see
    /// `InfiniteLoops`); empty unless `withSpinningLoops()` found them.
    private(set) var spinningLoops: [[(from: Int, edge: FlowGraph.Edge)]] = []

    init(_ analysis: FlowAnalysis, _ graph: FlowGraph) {
        flow = analysis.flow
        broken = analysis.broken
        self.graph = graph
        var usable = BitSet.full(capacity: graph.vertexCount)
        for v in 0..<graph.vertexCount where graph.uncertain.contains(v) || broken.contains(vertex: v, in: graph) {
            usable.remove(v)
        }
        self.usable = usable
        variables = graph.variables
    }

    /// A copy with `spinningLoops` found.
    func withSpinningLoops() -> GraphAnalysis {
        var copy = self
        copy.spinningLoops = InfiniteLoops.loops(graph, usable: usable)
        return copy
    }
}
