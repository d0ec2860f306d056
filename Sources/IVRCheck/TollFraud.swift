import IVRSyntax

/// E501: a transfer whose destination is made from caller input (captured
/// digits, a recording, a webhook result, directly or through `set`)
/// without an `allow` regex: a caller could make the system dial anything.
enum TollFraud: FlowCheck {
    static func run(_ index: FlowIndex, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = index.graph
        let broken = BrokenNodes(index.flow, context)
        let vars = FlowVariables(graph)
        let isInput: (Step) -> Bool = { step in
            switch step.kind {
            case .capture, .record, .webhook: true
            default: false
            }
        }
        let tainted = vars.propagation(graph, source: isInput)
        for v in 0..<graph.vertexCount where graph.reachable.contains(v) && !broken.contains(vertex: v, in: graph) {
            guard let step = graph.step(v), case .transfer(let t) = step.kind, t.allow == nil else { continue }
            let value = t.destination.value
            guard let name = value.value.variables.first(where: {
                vars.index(FlowVariables.root($0)).map(tainted[v].contains) ?? false
            }) else { continue }
            let root = FlowVariables.root(name)
            out.append(.unguardedDestination(t.destination, variable: name,
                                             origin: vars.firstWrite(of: root, in: graph, where: isInput)
                                                 ?? vars.firstWrite(of: root, in: graph),
                                             in: index.flow))
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
