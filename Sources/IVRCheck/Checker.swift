import IVRSyntax

/// What every check sees: the project and an index of its flows.
public struct CheckContext: Sendable {
    public let project: Project
    /// Flows by name (the first of each name).
    public let flowsByName: [String: Flow]
    /// Flows that another flow of the project continues into (`transfer: {ivr: NAME}`):
    /// a call may arrive in them with menus already on its `back` stack. Known
    /// once every flow is indexed: the graph checks see it, the index checks
    /// (which run meanwhile) do not need it.
    public internal(set) var enteredFromOtherFlows: Set<String> = []

    init(project: Project) {
        self.project = project
        var byName: [String: Flow] = [:]
        for flow in project.flows + project.contextFlows where byName[flow.name.value] == nil {
            byName[flow.name.value] = flow
        }
        self.flowsByName = byName
    }

    mutating func enter(_ indexes: [FlowIndex]) {
        var entered = Set<String>()
        for index in indexes {
            for entry in index.entries(.transfer) {
                guard case .transfer(let t) = entry.step.kind, t.destination.kind == .ivr,
                      t.destination.value.value.isConstant else { continue }
                let name = t.destination.value.value.raw
                if name != index.flow.name.value { entered.insert(name) }
            }
        }
        enteredFromOtherFlows = entered
    }
}

/// A check over one flow that needs no control-flow graph (it reads the
/// index). Each lives in its own file with its diagnostic factories beside it.
protocol FlowCheck: Sendable {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic])
    /// Run in the second round, beside the graph checks, rather than while
    /// the graph is built: for the heavier index checks, so that the two
    /// rounds keep both cores busy (scheduling only; the output is the same).
    static var runsLate: Bool { get }
}

extension FlowCheck {
    static var runsLate: Bool { false }
}

/// A check over one flow's control-flow graph.
protocol GraphCheck: Sendable {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic])
    /// Reads `analysis.spinningLoops` (found once for the checks that ask).
    static var needsSpinningLoops: Bool { get }
}

extension GraphCheck {
    static var needsSpinningLoops: Bool { false }
}

/// A check over the whole project (names across flows).
protocol ProjectCheck: Sendable {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic])
}

/// Runs every check over a loaded project and returns the diagnostics,
/// parse-level ones included, sorted for output.
///
/// The work is spread over the cores (see `Concurrently`), in two rounds:
/// each flow's graph is built while its index is walked and the lighter
/// index checks run; then the graph checks and the heavier index checks run
/// side by side. Diagnostics are gathered per check and put in the order of
/// `flowChecks`, so the output does not depend on which thread finished first.
public enum Checker {
    enum Kind {
        case flow(any FlowCheck.Type)
        case graph(any GraphCheck.Type)
    }

    static let flowChecks: [Kind] = [
        .flow(TargetResolution.self), .flow(FlowReferences.self), .flow(DeadSteps.self), .flow(AudioFiles.self),
        .flow(HoursTimezones.self), .flow(PlainHTTP.self), .flow(DestinationSyntax.self),
        .flow(KeyCoverage.self), .flow(PromptMentions.self), .flow(CaptureFeasibility.self), .flow(RegexPatterns.self),
        .flow(ExpressionChecks.self), .graph(UnreachableNodes.self), .flow(ImplicitHangup.self),
        .graph(BackTargets.self), .flow(DirectoryDestinations.self),
        .graph(InfiniteLoops.self), .graph(TrappedCalls.self), .graph(SilentCaller.self),
        .graph(DefiniteAssignment.self), .graph(TollFraud.self), .graph(SensitiveValues.self),
    ]
    static let projectChecks: [any ProjectCheck.Type] = [DuplicateFlows.self]

    /// Positions in `flowChecks` of the index checks of round one.
    static let earlyChecks: [Int] = flowChecks.indices.filter {
        if case .flow(let check) = flowChecks[$0] { !check.runsLate } else { false }
    }

    /// The pieces of work of round two, per flow, as positions in
    /// `flowChecks`: the checks that need the spinning loops share one (they
    /// are found once), first; then each late index check, each graph check.
    static let lateWork: [[Int]] = {
        var loops: [Int] = [], index: [[Int]] = [], graph: [[Int]] = []
        for (i, kind) in flowChecks.enumerated() {
            switch kind {
            case .flow(let check): if check.runsLate { index.append([i]) }
            case .graph(let check): if check.needsSpinningLoops { loops.append(i) } else { graph.append([i]) }
            }
        }
        return (loops.isEmpty ? [] : [loops]) + index + graph
    }()

    public static func check(_ project: Project) -> [Diagnostic] {
        var context = CheckContext(project: project)
        var out = project.diagnostics
        for check in projectChecks { check.run(context, &out) }
        let flows = project.flows, others = project.contextFlows
        let preliminary = context

        // Round one: each flow's graph; its index and the early index checks.
        let early = Concurrently.map(2 * flows.count + others.count) { job -> EarlyWork in
            guard job < 2 * flows.count else { return .index(FlowIndex(others[job - 2 * flows.count]), nil, [:]) }
            let flow = flows[job / 2]
            if job % 2 == 0 { return .graph(FlowGraph(flow)) }
            let analysis = FlowAnalysis(FlowIndex(flow), preliminary)
            var found: [Int: [Diagnostic]] = [:]
            for i in earlyChecks {
                guard case .flow(let check) = flowChecks[i] else { continue }
                var list: [Diagnostic] = []
                check.run(analysis, preliminary, &list)
                found[i] = list
            }
            return .index(analysis.index, analysis, found)
        }
        var indexes: [FlowIndex] = [], analyses: [FlowAnalysis] = [], graphAnalyses: [GraphAnalysis] = []
        var found: [[Int: [Diagnostic]]] = [], graphs: [FlowGraph] = []
        for result in early {
            switch result {
            case .graph(let graph): graphs.append(graph)
            case .index(let index, let analysis, let list):
                indexes.append(index)
                if let analysis {
                    analyses.append(analysis)
                    graphAnalyses.append(GraphAnalysis(analysis, graphs[graphs.count - 1]))
                    found.append(list)
                }
            }
        }
        context.enter(indexes)

        // Round two: the graph checks and the late index checks, side by side.
        let final = context
        let late = Concurrently.map(flows.count * lateWork.count) { job -> [Int: [Diagnostic]] in
            let f = job / lateWork.count, positions = lateWork[job % lateWork.count]
            var graphAnalysis = graphAnalyses[f]
            if positions.contains(where: { if case .graph(let check) = flowChecks[$0] { check.needsSpinningLoops } else { false } }) {
                graphAnalysis = graphAnalysis.withSpinningLoops()
            }
            var result: [Int: [Diagnostic]] = [:]
            for i in positions {
                var list: [Diagnostic] = []
                switch flowChecks[i] {
                case .flow(let check): check.run(analyses[f], final, &list)
                case .graph(let check): check.run(graphAnalysis, final, &list)
                }
                result[i] = list
            }
            return result
        }
        for f in flows.indices {
            var byCheck = found[f]
            for work in 0..<lateWork.count { byCheck.merge(late[f * lateWork.count + work]) { a, _ in a } }
            for i in flowChecks.indices { out += byCheck[i] ?? [] }
        }
        crossFlowSilence(graphAnalyses, others, final, &out)
        return Diagnostic.sortedForOutput(dedupe(out))
    }

    /// E303/E301 through `ivr:` transfers (`SilentCallerAcrossFlows`): only
    /// when some checked flow lets silence leave through one. Flows read for
    /// context (not being checked) can close such a loop too.
    private static func crossFlowSilence(_ checked: [GraphAnalysis], _ others: [Flow], _ context: CheckContext,
                                         _ out: inout [Diagnostic]) {
        var summaries = checked.map {
            SilentCallerAcrossFlows.Summary(flow: $0.flow, checked: true, exits: SilentCallerAcrossFlows.exits(of: $0))
        }
        guard summaries.contains(where: { !$0.exits.isEmpty }) else { return }
        for flow in others {
            let analysis = GraphAnalysis(FlowAnalysis(FlowIndex(flow), context), FlowGraph(flow))
            summaries.append(.init(flow: flow, checked: false, exits: SilentCallerAcrossFlows.exits(of: analysis)))
        }
        SilentCallerAcrossFlows.run(summaries, &out)
    }

    /// What a piece of round one made.
    private enum EarlyWork: Sendable {
        case graph(FlowGraph)
        /// A flow's index, with its analysis and the diagnostics of its early checks by position (checked flows).
        case index(FlowIndex, FlowAnalysis?, [Int: [Diagnostic]])
    }

    /// Drops exact repeats (a target inside an aliased mapping is seen once per use).
    private static func dedupe(_ list: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return list.filter { seen.insert($0).inserted }
    }
}
