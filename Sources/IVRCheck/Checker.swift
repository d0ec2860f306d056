import IVRSyntax

/// What every check sees: the project and an index of its flows.
public struct CheckContext {
    public let project: Project
    /// Flows by name (the first of each name).
    public let flowsByName: [String: Flow]

    init(project: Project) {
        self.project = project
        var byName: [String: Flow] = [:]
        for flow in project.flows + project.contextFlows where byName[flow.name.value] == nil {
            byName[flow.name.value] = flow
        }
        self.flowsByName = byName
    }
}

/// A check over one flow. Each lives in its own file with its diagnostic
/// factories beside it.
protocol FlowCheck: Sendable {
    static func run(_ index: FlowIndex, _ context: CheckContext, _ out: inout [Diagnostic])
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
    ]
    static let projectChecks: [any ProjectCheck.Type] = [DuplicateFlows.self]

    public static func check(_ project: Project) -> [Diagnostic] {
        let context = CheckContext(project: project)
        var out = project.diagnostics
        for check in projectChecks { check.run(context, &out) }
        for flow in project.flows {
            let index = FlowIndex(flow)
            for check in flowChecks { check.run(index, context, &out) }
        }
        return Diagnostic.sortedForOutput(dedupe(out))
    }

    /// Drops exact repeats (a target inside an aliased mapping is seen once per use).
    private static func dedupe(_ list: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return list.filter { seen.insert($0).inserted }
    }
}
