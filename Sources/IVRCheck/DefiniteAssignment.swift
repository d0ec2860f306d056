import IVRSyntax

/// E209: a variable read (in say text, a set value, a webhook url or body,
/// a transfer, a branch condition) where some path from the start reaches
/// the read without setting it. A capture sets its variable only when it
/// succeeds, a webhook only when it does not fail; `customer.tier` needs
/// `customer`. The built-ins (caller, called, flow, language, voice) are
/// always set.
enum DefiniteAssignment: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let vars = analysis.variables
        // The built-ins are always set: only other variables can be unset.
        guard vars.readsNonBuiltins else { return }
        let graph = analysis.graph
        let broken = analysis.broken
        let usable = analysis.usable
        var special = BitSet(capacity: graph.vertexCount)
        for v in 0..<graph.vertexCount where !usable.contains(v) || vars.writes(of: v).contains(where: { $0.number != nil }) {
            special.insert(v)
        }
        let states = DataFlow.solve(graph, variables: vars.count, must: true, entry: vars.builtins, special: special) { v, edge, state in
            if !usable.contains(v) {
                for k in state.indices { state[k] = ~0 }
                return
            }
            guard graph.edgeFlags[edge] & FlowGraph.Flags.succeeds != 0 else { return }
            for w in vars.writes(of: v) { if let n = w.number { state[n >> 6] |= 1 << UInt64(n & 63) } }
        }
        var reported = Set<String>()
        for v in 0..<graph.vertexCount where vars.readOffsets[v] < vars.readOffsets[v + 1] {
            guard graph.reachable.contains(v), !broken.contains(vertex: v, in: graph), let step = graph.step(v) else { continue }
            var state = Array(states.bits[v * states.words..<(v + 1) * states.words])
            let writes = vars.writes(of: v)
            var assigned = 0
            for read in vars.reads(of: v) {
                if case .set = step.kind {
                    // Assignments run in order: a later value may read an earlier name.
                    while assigned < read.assignment {
                        if let n = writes[writes.startIndex + assigned].number { state[n >> 6] |= 1 << UInt64(n & 63) }
                        assigned += 1
                    }
                }
                let n = read.number
                guard state[n >> 6] & (1 << UInt64(n & 63)) == 0 else { continue }
                let key = "\(read.range.start.offset):\(read.root)"
                guard reported.insert(key).inserted else { continue }
                out.append(.maybeUnset(read, set: vars.firstWrite(of: read.root, in: graph), known: vars.writtenNames,
                                       at: context.range(of: read, in: analysis.flow), in: analysis.flow,
                                       rootRange: { context.rootRange(of: read, in: analysis.flow) }))
            }
        }
    }
}

fileprivate extension Diagnostic {
    /// `range` is the reference itself (`${name}`); `rootRange` finds where
    /// its root name is written, for a fix-it.
    static func maybeUnset(_ read: FlowVariables.Read, set: Located<String>?, known: [String], at range: SourceRange,
                           in flow: Flow, rootRange: () -> SourceRange?) -> Diagnostic {
        let shown = read.name == read.root ? "'\(read.root)'" : "'\(read.root)' (read as '\(read.name)')"
        guard let set else {
            let guess = closestMatch(to: read.root, in: known.filter { $0 != read.root } + Variables.builtins.sorted())
            var fix: FixIt?
            if let guess, FixIt.isPlainName(guess), let name = rootRange() {
                fix = FixIt(message: "replace with '\(guess)'", range: name, replacement: guess)
            }
            return Diagnostic(.E209, "variable \(shown) is never set in this flow", file: flow.file, range: range,
                              help: guess.map { "did you mean '\($0)'?" }
                                  ?? "set it first with capture, record, webhook 'into' or 'set'", fix: fix)
        }
        return Diagnostic(.E209, "variable \(shown) may be unset here: some path reaches this point without setting it",
                          file: flow.file, range: range,
                          notes: [Note("'\(read.root)' is set here, but not on every path", file: flow.file, range: set.range)],
                          help: "set it on every path first (for example with 'set' and a default), or read it only where it is set")
    }
}
