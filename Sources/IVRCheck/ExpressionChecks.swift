import IVRSyntax

/// E401, E403, E404, E406 in `branch` conditions, by `ExpressionTypeChecker`.
enum ExpressionChecks: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let checker = ExpressionTypeChecker(file: analysis.flow.file, schedules: Set(analysis.flow.hours.map(\.name.value)))
        for entry in analysis.index.entries(.branch) {
            guard case .branch(let b) = entry.step.kind else { continue }
            for arm in b.arms {
                guard let condition = arm.condition, !checker.check(condition: condition).isEmpty else { continue }
                // Checked again with the scalar's map, which only a condition with a finding needs.
                let map = context.sourceMap(of: arm.source.value, at: arm.source.range, in: analysis.flow)
                out.append(contentsOf: checker.check(condition: condition, source: map))
            }
        }
    }
}
