import IVRSyntax

/// E202: `transfer: {ivr: NAME}` names no flow of the project.
enum FlowReferences: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        for entry in analysis.index.entries(.transfer) {
            let step = entry.step
            guard case .transfer(let t) = step.kind, t.destination.kind == .ivr,
                  t.destination.value.value.isConstant else { continue }
            let name = t.destination.value.value.raw
            if context.flowsByName[name] == nil {
                out.append(.unknownFlow(name, at: t.destination.value.range, in: flow,
                                        candidates: Array(context.flowsByName.keys).sorted()))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func unknownFlow(_ name: String, at range: SourceRange, in flow: Flow, candidates: [String]) -> Diagnostic {
        let guess = closestMatch(to: name, in: candidates)
        return Diagnostic(
            .E202, "'ivr: \(name)' names no flow in the project", file: flow.file, range: range,
            notes: [Note(candidates.isEmpty ? "the project has no other flows"
                         : "flows in the project: \(candidates.joined(separator: ", "))")],
            help: guess.map { "did you mean '\($0)'?" } ?? "check the flow's 'ivr:' name, and that its file is part of the checked paths",
            fix: guess.map { FixIt(message: "replace with '\($0)'", range: range, replacement: FixIt.scalar($0)) })
    }
}
