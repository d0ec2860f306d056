import IVRSyntax

/// E401, E403, E404, E406 in `branch` conditions, by `ExpressionTypeChecker`.
enum ExpressionChecks: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let checker = ExpressionTypeChecker(file: analysis.flow.file, schedules: Set(analysis.flow.hours.map(\.name.value)))
        for entry in analysis.index.entries(.branch) {
            guard case .branch(let b) = entry.step.kind else { continue }
            for arm in b.arms {
                if let condition = arm.condition { out.append(contentsOf: checker.check(condition: condition)) }
            }
        }
    }
}
