import IVRSyntax

// The four kinds of check, by what they read. A check is a caseless enum in
// its own file, with its diagnostic factories beside it; `CheckRegistry`
// lists it with what it needs and the codes it raises, and `CheckScheduler`
// decides when and on which core it runs. A check says nothing about
// scheduling: its output is the same whenever it runs.

/// A check over one flow that needs no control-flow graph: it reads the
/// flow's index and broken nodes (`FlowAnalysis`).
protocol FlowCheck: Sendable {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic])
}

/// A check over one flow's control-flow graph (`GraphAnalysis`).
protocol GraphCheck: Sendable {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic])
}

/// A check over the whole project (names across flows), before any flow is analysed.
protocol ProjectCheck: Sendable {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic])
}

/// A check across flows, once every checked flow's graph is analysed.
/// `others` are the flows read for context only (not being checked).
protocol CrossFlowCheck: Sendable {
    static func run(_ checked: [GraphAnalysis], others: [Flow], _ context: CheckContext, _ out: inout [Diagnostic])
}
