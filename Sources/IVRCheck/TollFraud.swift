import IVRSyntax

/// E501: a transfer whose destination is made from caller input (captured
/// digits, a recording, a webhook result, directly or through `set`)
/// without an `allow` regex: a caller could make the system dial anything.
enum TollFraud: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let vars = analysis.variables
        // Only a destination made from variables can come from caller input.
        guard vars.reads.contains(where: { $0.place == .destination }) else { return }
        let graph = analysis.graph
        let broken = analysis.broken
        let isInput: (Step) -> Bool = { step in
            switch step.kind {
            case .capture, .record, .webhook: true
            default: false
            }
        }
        let tainted = vars.propagation(graph, source: isInput)
        for v in 0..<graph.vertexCount where vars.readOffsets[v] < vars.readOffsets[v + 1] {
            guard graph.reachable.contains(v), !broken.contains(vertex: v, in: graph),
                  let step = graph.step(v), case .transfer(let t) = step.kind, t.allow == nil else { continue }
            guard let read = vars.reads(of: v).first(where: { $0.place == .destination && tainted.contains(v, $0.number) })
            else { continue }
            out.append(.unguardedDestination(t.destination, variable: read.name,
                                             origin: vars.firstWrite(of: read.root, in: graph, where: isInput)
                                                 ?? vars.firstWrite(of: read.root, in: graph),
                                             in: analysis.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func unguardedDestination(_ d: Destination, variable: String, origin: Located<String>?, in flow: Flow) -> Diagnostic {
        let example = d.kind == .number ? "^\\+1[0-9]{10}$" : "^1[0-9]{3}$"
        return Diagnostic(
            .E501, "the \(d.kind.rawValue) to dial comes from caller input ('${\(variable)}') and has no 'allow' regex",
            file: flow.file, range: d.value.range,
            notes: origin.map { [Note("'\(FlowVariables.root(variable))' is filled from caller input here", file: flow.file, range: $0.range)] } ?? [],
            help: "add 'allow:' with a regex of what may be dialled, e.g. allow: \"\(example)\"; callers must never reach arbitrary numbers")
    }
}
