import IVRSyntax

/// What every check sees: the project and an index of its flows.
public struct CheckContext {
    public let project: Project
    /// Flows by name (the first of each name).
    public let flowsByName: [String: Flow]
    /// Flows that another flow of the project continues into (`transfer: {ivr: NAME}`):
    /// a call may arrive in them with menus already on its `back` stack.
    public let enteredFromOtherFlows: Set<String>

    init(project: Project, indexes: [FlowIndex]) {
        self.project = project
        var entered = Set<String>()
        for index in indexes {
            for entry in index.entries(.transfer) {
                guard case .transfer(let t) = entry.step.kind, t.destination.kind == .ivr,
                      t.destination.value.value.isConstant else { continue }
                let name = t.destination.value.value.raw
                if name != index.flow.name.value { entered.insert(name) }
            }
        }
        self.enteredFromOtherFlows = entered
        var byName: [String: Flow] = [:]
        for flow in project.flows + project.contextFlows where byName[flow.name.value] == nil {
            byName[flow.name.value] = flow
        }
        self.flowsByName = byName
    }
}

/// A check over one flow, with the facts its checks share. Each lives in its own file with its diagnostic
/// factories beside it.
protocol FlowCheck: Sendable {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic])
}

/// A check over the whole project (names across flows).
protocol ProjectCheck: Sendable {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic])
}

/// Runs every check over a loaded project and returns the diagnostics,
/// parse-level ones included, sorted for output.
public enum Checker {
    static let flowChecks: [any FlowCheck.Type] = [
        TargetResolution.self, FlowReferences.self, DeadSteps.self, AudioFiles.self,
        HoursTimezones.self, PlainHTTP.self, DestinationSyntax.self,
        KeyCoverage.self, PromptMentions.self, CaptureFeasibility.self, RegexPatterns.self, ExpressionChecks.self,
        UnreachableNodes.self, ImplicitHangup.self, BackTargets.self, DirectoryDestinations.self,
        InfiniteLoops.self, TrappedCalls.self, SilentCaller.self,
        DefiniteAssignment.self, TollFraud.self, SensitiveValues.self,
    ]
    static let projectChecks: [any ProjectCheck.Type] = [DuplicateFlows.self]

    public static func check(_ project: Project) -> [Diagnostic] {
        let indexes = project.flows.map(FlowIndex.init)
        let context = CheckContext(project: project, indexes: indexes + project.contextFlows.map(FlowIndex.init))
        var out = project.diagnostics
        for check in projectChecks { check.run(context, &out) }
        for index in indexes {
            let analysis = FlowAnalysis(index, context)
            for check in flowChecks { check.run(analysis, context, &out) }
        }
        return Diagnostic.sortedForOutput(dedupe(out))
    }

    /// Drops exact repeats (a target inside an aliased mapping is seen once per use).
    private static func dedupe(_ list: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return list.filter { seen.insert($0).inserted }
    }
}
