import IVRSyntax

/// E201: a target (or `start:`) names no node of its flow.
enum TargetResolution: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        let known = analysis.index.nodeIndex
        if let start = flow.start, known[start.value] == nil {
            out.append(.unknownNode(start, in: flow, candidates: flow.nodes.map(\.name.value), field: "start"))
        }
        for entry in analysis.targets {
            let target = entry.target
            if case .node(let name) = target, known[name.value] == nil {
                out.append(.unknownNode(name, in: flow, candidates: flow.nodes.map(\.name.value), field: nil))
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
            notes: guess == nil && candidates.count <= 12
                ? [Note("nodes of flow '\(flow.name.value)': \(candidates.joined(separator: ", "))")] : [],
            help: guess.map { "did you mean '\($0)'?" }
                ?? "targets are node names, repeat, back, top, hangup, or inline steps",
            fix: guess.map { FixIt(message: "replace with '\($0)'", range: name.range, replacement: $0) })
    }
}
