import IVRSyntax

/// W208: steps after a jump never run. Reported once per step list, at the
/// dead steps (from the first to the end of the last).
enum DeadSteps: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let index = analysis.index
        for (list, facts) in index.listFacts.enumerated() where facts.firstJump >= 0 && facts.firstJump + 1 < facts.count {
            let steps = index.stepLists[list]
            out.append(.deadSteps(steps[(facts.firstJump + 1)...], after: steps[facts.firstJump], in: analysis.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func deadSteps(_ dead: ArraySlice<Step>, after jump: Step, in flow: Flow) -> Diagnostic {
        let count = dead.count
        let first = dead.first ?? jump, last = dead.last ?? jump // never empty: the caller checks
        return Diagnostic(
            .W208, count == 1 ? "this step never runs: it follows a '\(jump.keyword)' step"
                : "these \(count) steps never run: they follow a '\(jump.keyword)' step",
            file: flow.file, range: SourceRange(start: first.range.start, end: last.range.end),
            notes: [Note("'\(jump.keyword)' always leaves the node", file: flow.file, range: jump.keyRange)],
            help: "remove the steps, or move them before the '\(jump.keyword)'")
    }
}
