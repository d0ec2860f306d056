import IVRSyntax

/// Runs the checks of a registry (`CheckRegistry.checks`) over a project,
/// spread over the cores (`Concurrently`) in two rounds of jobs:
///
/// 1. for each checked flow, its control-flow graph is built while, as
///    another job, its index is walked and its light index checks run; the
///    flows read for context are indexed too (their `ivr:` transfers count
///    for `CheckContext.enteredFromOtherFlows`);
/// 2. for each checked flow, the graph checks and the heavy index checks
///    (and any index check that needs callers from other flows), one job
///    each, except that the checks needing the spinning loops share one job,
///    first, which finds the loops once.
///
/// Project checks run before the rounds and cross-flow checks after them,
/// on the calling thread. Each job is a value that names its work
/// (`RoundOneJob`, `RoundTwoJob`) and each result names the flow and the
/// check it belongs to (`Findings`), so results are put together by
/// identity, in the registry's order, whatever finished first.
/// docs/performance-checker.md has the figures behind this split.
struct CheckScheduler: Sendable {
    /// A check's identity: its position in the registry.
    struct CheckID: Hashable, Sendable {
        let position: Int
    }

    /// What one check found, on one checked flow (its position in
    /// `Project.flows`) or, for project and cross-flow checks, on none.
    struct Findings: Sendable {
        let check: CheckID
        let flow: Int?
        let diagnostics: [Diagnostic]
    }

    /// A job of the first round.
    enum RoundOneJob: Hashable, Sendable {
        /// Builds a checked flow's control-flow graph.
        case buildGraph(flow: Int)
        /// Indexes a checked flow and runs its light index checks.
        case indexAndLightChecks(flow: Int)
        /// Indexes a flow read for context (its position in `Project.contextFlows`).
        case indexContextFlow(Int)
    }

    /// What a job of the first round made, labelled with its flow.
    enum RoundOneResult: Sendable {
        case graph(flow: Int, FlowGraph)
        case index(flow: Int, FlowAnalysis, [Findings])
        case contextIndex(FlowIndex)
    }

    /// A job of the second round: some checks of one checked flow.
    struct RoundTwoJob: Hashable, Sendable {
        let flow: Int
        let checks: [CheckID]
        /// Finds the flow's spinning loops first (for the checks that need them).
        let findsSpinningLoops: Bool
    }

    /// Checks of one flow that run together in the second round.
    struct Group: Hashable, Sendable {
        let checks: [CheckID]
        let findsSpinningLoops: Bool
    }

    let checks: [RegisteredCheck]
    /// The project checks, run before the rounds.
    let projectChecks: [CheckID]
    /// The index checks of the first round, run in one job per flow.
    let lightIndexChecks: [CheckID]
    /// The jobs of the second round for one flow, longest first.
    let roundTwoGroups: [Group]
    /// The index and graph checks, in registry order: the order of a flow's findings.
    let flowChecks: [CheckID]
    /// The checks across flows, run after the rounds.
    let crossFlowChecks: [CheckID]

    /// The scheduler of `CheckRegistry.checks`.
    static let standard = CheckScheduler(CheckRegistry.checks)

    init(_ checks: [RegisteredCheck]) {
        self.checks = checks
        var project: [CheckID] = [], light: [CheckID] = [], flow: [CheckID] = [], across: [CheckID] = []
        var loops: [CheckID] = [], heavy: [CheckID] = [], graph: [CheckID] = []
        for (position, check) in checks.enumerated() {
            let id = CheckID(position: position)
            switch check.kind {
            case .project: project.append(id)
            case .acrossFlows: across.append(id)
            case .index(_, let cost):
                flow.append(id)
                if cost == .light && !check.needs.contains(.callersFromOtherFlows) { light.append(id) } else { heavy.append(id) }
            case .graph:
                flow.append(id)
                if check.needs.contains(.spinningLoops) { loops.append(id) } else { graph.append(id) }
            }
        }
        projectChecks = project
        lightIndexChecks = light
        flowChecks = flow
        crossFlowChecks = across
        roundTwoGroups = (loops.isEmpty ? [] : [Group(checks: loops, findsSpinningLoops: true)])
            + (heavy + graph).map { Group(checks: [$0], findsSpinningLoops: false) }
    }

    /// The first round's jobs: each checked flow's graph, then its index (so
    /// that the two go to different cores), then the context flows' indexes.
    func roundOneJobs(checkedFlows: Int, contextFlows: Int) -> [RoundOneJob] {
        (0..<checkedFlows).flatMap { [RoundOneJob.buildGraph(flow: $0), .indexAndLightChecks(flow: $0)] }
            + (0..<contextFlows).map { RoundOneJob.indexContextFlow($0) }
    }

    /// The second round's jobs: each checked flow's groups.
    func roundTwoJobs(checkedFlows: Int) -> [RoundTwoJob] {
        (0..<checkedFlows).flatMap { flow in
            roundTwoGroups.map { RoundTwoJob(flow: flow, checks: $0.checks, findsSpinningLoops: $0.findsSpinningLoops) }
        }
    }

    /// Runs every check over `project`: what each found, in registry order
    /// (project checks, then each checked flow's checks, then cross-flow checks).
    func run(_ project: Project) -> [Findings] {
        var context = CheckContext(project: project)
        let flows = project.flows, others = project.contextFlows
        var ordered = projectChecks.map { id in
            var list: [Diagnostic] = []
            if case .project(let check) = checks[id.position].kind { check.run(context, &list) }
            return Findings(check: id, flow: nil, diagnostics: list)
        }

        // Round one: each flow's graph; its index and the light index checks.
        let preliminary = context
        let early = roundOneJobs(checkedFlows: flows.count, contextFlows: others.count)
        let made = Concurrently.map(early.count) { run(early[$0], flows, others, preliminary) }
        var graphs = [FlowGraph?](repeating: nil, count: flows.count)
        var analyses = [FlowAnalysis?](repeating: nil, count: flows.count)
        var indexes: [FlowIndex] = []
        var found: [Key: [Diagnostic]] = [:]
        for result in made {
            switch result {
            case .graph(let flow, let graph): graphs[flow] = graph
            case .index(let flow, let analysis, let findings):
                analyses[flow] = analysis
                indexes.append(analysis.index)
                for f in findings { found[Key(f)] = f.diagnostics }
            case .contextIndex(let index): indexes.append(index)
            }
        }
        // NOTE: round one has one job of each kind per checked flow, so every slot is filled.
        let indexAnalyses = analyses.map { $0! }
        let graphAnalyses = flows.indices.map { GraphAnalysis(indexAnalyses[$0], graphs[$0]!) }
        context.enter(indexes)

        // Round two: the graph checks and the heavy index checks, side by side.
        let final = context
        let late = roundTwoJobs(checkedFlows: flows.count)
        let results = Concurrently.map(late.count) { run(late[$0], indexAnalyses, graphAnalyses, final) }
        for findings in results {
            for f in findings { found[Key(f)] = f.diagnostics }
        }
        for flow in flows.indices {
            for id in flowChecks {
                ordered.append(Findings(check: id, flow: flow, diagnostics: found[Key(check: id, flow: flow)] ?? []))
            }
        }

        for id in crossFlowChecks {
            var list: [Diagnostic] = []
            if case .acrossFlows(let check) = checks[id.position].kind { check.run(graphAnalyses, others: others, final, &list) }
            ordered.append(Findings(check: id, flow: nil, diagnostics: list))
        }
        return ordered
    }

    /// Where a flow check's findings are kept between the rounds.
    private struct Key: Hashable {
        let check: CheckID
        let flow: Int?

        init(check: CheckID, flow: Int?) {
            self.check = check
            self.flow = flow
        }

        init(_ findings: Findings) {
            self.init(check: findings.check, flow: findings.flow)
        }
    }

    private func run(_ job: RoundOneJob, _ flows: [Flow], _ others: [Flow], _ context: CheckContext) -> RoundOneResult {
        switch job {
        case .buildGraph(let flow):
            return .graph(flow: flow, FlowGraph(flows[flow]))
        case .indexAndLightChecks(let flow):
            let analysis = FlowAnalysis(FlowIndex(flows[flow]), context)
            return .index(flow: flow, analysis, lightIndexChecks.map { run($0, on: flow, analysis, nil, context) })
        case .indexContextFlow(let other):
            return .contextIndex(FlowIndex(others[other]))
        }
    }

    private func run(_ job: RoundTwoJob, _ analyses: [FlowAnalysis], _ graphAnalyses: [GraphAnalysis],
                     _ context: CheckContext) -> [Findings] {
        var graphAnalysis = graphAnalyses[job.flow]
        if job.findsSpinningLoops { graphAnalysis = graphAnalysis.withSpinningLoops() }
        return job.checks.map { run($0, on: job.flow, analyses[job.flow], graphAnalysis, context) }
    }

    /// Runs one index or graph check on one flow (`graph` is nil in round
    /// one, which has only index checks).
    private func run(_ id: CheckID, on flow: Int, _ analysis: FlowAnalysis, _ graph: GraphAnalysis?,
                     _ context: CheckContext) -> Findings {
        var list: [Diagnostic] = []
        switch checks[id.position].kind {
        case .index(let check, _): check.run(analysis, context, &list)
        case .graph(let check): if let graph { check.run(graph, context, &list) }
        case .project, .acrossFlows: break
        }
        return Findings(check: id, flow: flow, diagnostics: list)
    }
}
