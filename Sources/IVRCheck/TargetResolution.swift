import IVRSyntax

/// E201: a target (or `start:`) names no node of its flow.
enum TargetResolution: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        let known = analysis.index.nodeIndex
        if let start = flow.start, known[start.value] == nil {
            out.append(.unknownNode(start, in: flow, candidates: flow.nodes.map(\.name.value), field: "start"))
        }
        var candidates: [String]?
        for entry in analysis.targets {
            let target = entry.target
            if case .node(let name) = target, known[name.value] == nil {
                // A target may also be a built-in: `repaet` is a typo of `repeat`.
                if candidates == nil { candidates = flow.nodes.map(\.name.value) + BuiltinTarget.allCases.map(\.rawValue) }
                out.append(.unknownNode(name, in: flow, candidates: candidates ?? [], field: nil))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func unknownNode(_ name: Located<String>, in flow: Flow, candidates: [String], field: String?) -> Diagnostic {
        let guess = closestMatch(to: name.value, in: candidates)
        let subject = field.map { "'\($0)' names '\(name.value)', which is no node" } ?? "target '\(name.value)' names no node"
        return Diagnostic(
            .E201, subject, file: flow.file, range: name.range,
            notes: guess == nil && flow.nodes.count <= 12
                ? [Note("nodes of flow '\(flow.name.value)': \(flow.nodes.map(\.name.value).joined(separator: ", "))")] : [],
            help: guess.map { "did you mean '\($0)'?" }
                ?? "targets are node names, repeat, back, top, hangup, or inline steps",
            fix: guess.map { FixIt(message: "replace with '\($0)'", range: name.range, replacement: FixIt.scalar($0)) })
    }
}
