import IVRSyntax

/// W208: steps after a jump never run. Reported once per step list, at the
/// first dead step.
enum DeadSteps: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        for steps in analysis.stepLists {
            guard let jump = steps.firstIndex(where: \.alwaysJumps), jump + 1 < steps.count else { continue }
            out.append(.deadSteps(steps[(jump + 1)...], after: steps[jump], in: flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func deadSteps(_ dead: ArraySlice<Step>, after jump: Step, in flow: Flow) -> Diagnostic {
        let count = dead.count
        let first = dead.first!
        return Diagnostic(
            .W208, count == 1 ? "this step never runs: it follows a '\(jump.keyword)' step"
                : "these \(count) steps never run: they follow a '\(jump.keyword)' step",
            file: flow.file, range: first.range,
            notes: [Note("'\(jump.keyword)' always leaves the node", file: flow.file, range: jump.keyRange)],
            help: "remove the steps, or move them before the '\(jump.keyword)'")
    }
}
