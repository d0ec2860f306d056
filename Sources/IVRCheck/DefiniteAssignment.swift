import IVRSyntax

/// E209: a variable read (in say text, a set value, a webhook url or body,
/// a transfer, a branch condition) where some path from the start reaches
/// the read without setting it. A capture sets its variable only when it
/// succeeds, a webhook only when it does not fail; `customer.tier` needs
/// `customer`. The built-ins (caller, called, flow, language, voice) are
/// always set.
enum DefiniteAssignment: FlowCheck {
    static func run(_ index: FlowIndex, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = index.graph
        let broken = BrokenNodes(index.flow, context)
        let vars = FlowVariables(graph)
        let full = BitSet.full(capacity: vars.count)
        let states = DataFlow.solve(graph, variables: vars.count, must: true, entry: vars.builtins) { v, edge, state in
            if graph.uncertain.contains(v) || broken.contains(vertex: v, in: graph) { return full }
            guard let step = graph.step(v), FlowVariables.writesOn(edge, of: step) else { return state }
            var out = state
            for name in FlowVariables.writes(step) { if let n = vars.index(name.value) { out.insert(n) } }
            return out
        }
        var reported = Set<String>()
        var written: [String] = []
        for v in 0..<graph.vertexCount {
            if let step = graph.step(v) { written += FlowVariables.writes(step).map(\.value) }
        }
        for v in 0..<graph.vertexCount where graph.reachable.contains(v) && !broken.contains(vertex: v, in: graph) {
            guard let step = graph.step(v) else { continue }
            var state = states[v]
            var reads = FlowVariables.reads(step)
            if case .set(let set) = step.kind {
                // Assignments run in order: a later value may read an earlier name.
                reads = []
                for a in set.assignments {
                    for read in FlowVariables.reads(Step(kind: .set(SetVariables(assignments: [a])), keyRange: step.keyRange, range: step.range)) {
                        check(read, state)
                    }
                    if let n = vars.index(a.name.value) { state.insert(n) }
                }
            }
            for read in reads { check(read, state) }
        }

        func check(_ read: FlowVariables.Read, _ state: BitSet) {
            guard let n = vars.index(read.root), !state.contains(n) else { return }
            let key = "\(read.range.start.offset):\(read.root)"
            guard reported.insert(key).inserted else { return }
            out.append(.maybeUnset(read, set: vars.firstWrite(of: read.root, in: graph), known: written, in: index.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func maybeUnset(_ read: FlowVariables.Read, set: Located<String>?, known: [String], in flow: Flow) -> Diagnostic {
        let shown = read.name == read.root ? "'\(read.root)'" : "'\(read.root)' (read as '\(read.name)')"
        guard let set else {
            let guess = closestMatch(to: read.root, in: known.filter { $0 != read.root })
            return Diagnostic(.E209, "variable \(shown) is never set in this flow", file: flow.file, range: read.range,
                              help: guess.map { "did you mean '\($0)'?" }
                                  ?? "set it first with capture, record, webhook 'into' or 'set'")
        }
        return Diagnostic(.E209, "variable \(shown) may be unset here: some path reaches this point without setting it",
                          file: flow.file, range: read.range,
                          notes: [Note("'\(read.root)' is set here, but not on every path", file: flow.file, range: set.range)],
                          help: "set it on every path first (for example with 'set' and a default), or read it only where it is set")
    }
}
