import IVRSyntax

/// E303 (and E301) across flows: silence that leaves a flow through
/// `transfer: {ivr: NAME}` and, through other flows, comes back to it.
///
/// Within one flow an `ivr:` transfer ends the call's path, so `SilentCaller`
/// cannot see the loop `a -> b -> a` where each flow's menu sends a silent
/// caller on to the other with `on-exhausted`. This check summarises each
/// flow by its *silent exits* — the `ivr:` transfers that following only
/// what silence does (timeouts, `on-exhausted`, jumps, fall-through, a
/// webhook's normal outcome; never keys, conditions or failures) reaches
/// from the start node — and looks for cycles among flows along them.
/// A cycle that waits for the caller somewhere is E303; one that never
/// waits spins without end and is E301.
enum SilentCallerAcrossFlows: CrossFlowCheck {
    /// Only when some checked flow lets silence leave through an `ivr:`
    /// transfer. Flows read for context (not being checked) can close such
    /// a loop too: they are analysed then.
    static func run(_ checked: [GraphAnalysis], others: [Flow], _ context: CheckContext, _ out: inout [Diagnostic]) {
        var summaries = checked.map { Summary(flow: $0.flow, checked: true, exits: exits(of: $0)) }
        guard summaries.contains(where: { !$0.exits.isEmpty }) else { return }
        for flow in others {
            let analysis = GraphAnalysis(FlowAnalysis(FlowIndex(flow), context), FlowGraph(flow))
            summaries.append(Summary(flow: flow, checked: false, exits: exits(of: analysis)))
        }
        report(summaries, &out)
    }

    /// One `ivr:` transfer silence reaches from a flow's start.
    struct Exit: Sendable {
        var into: String
        var range: SourceRange
        /// The node the transfer stands in.
        var node: String
        /// Whether the silent path to it waits for the caller (a menu or capture timing out).
        var waits: Bool
    }

    /// A flow's silent exits, found on its shared graph.
    static func exits(of analysis: GraphAnalysis) -> [Exit] {
        let graph = analysis.graph
        guard let start = graph.start, !graph.flowEdges.isEmpty else { return [] }
        let usable = analysis.usable
        typealias Flags = FlowGraph.Flags
        let loud = Flags.needsKeys | Flags.conditional | Flags.again
        // States are (vertex, waited so far): a vertex reached both ways is kept twice.
        var seen = [BitSet(capacity: graph.vertexCount), BitSet(capacity: graph.vertexCount)]
        var stack = [(start, 0)]
        seen[0].insert(start)
        while let (v, waited) = stack.popLast() {
            for i in graph.edges.offsets[v]..<graph.edges.offsets[v + 1] where graph.edgeFlags[i] & loud == 0 {
                let t = graph.edgeTargets[i]
                guard usable.contains(t) else { continue }
                let w = waited == 1 || graph.edgeFlags[i] & Flags.waits != 0 ? 1 : 0
                if seen[w].insert(t) { stack.append((t, w)) }
            }
        }
        var exits: [Exit] = []
        for edge in graph.flowEdges where usable.contains(edge.from) {
            let waits = seen[1].contains(edge.from)
            guard waits || seen[0].contains(edge.from) else { continue }
            exits.append(Exit(into: edge.flow, range: edge.range, node: graph.nodeName(of: edge.from), waits: waits))
        }
        return exits
    }

    /// One flow of the project with its silent exits; `checked` flows get the diagnostics.
    struct Summary: Sendable {
        var flow: Flow
        var checked: Bool
        var exits: [Exit]
    }

    /// Reports each cycle among flows once, at the first checked flow on it.
    static func report(_ summaries: [Summary], _ out: inout [Diagnostic]) {
        var index: [String: Int] = [:]
        for (i, s) in summaries.enumerated() where index[s.flow.name.value] == nil { index[s.flow.name.value] = i }
        var reported = Set<Int>()
        for (origin, summary) in summaries.enumerated() where summary.checked && !reported.contains(origin) {
            guard let cycle = shortestCycle(from: origin, summaries, index) else { continue }
            for hop in cycle { reported.insert(hop.flow) }
            out.append(.silentLoopAcrossFlows(cycle, summaries))
        }
    }

    /// The shortest way back to `origin` along silent exits (breadth first;
    /// among exits to the same flow, one that waits is preferred).
    static func shortestCycle(from origin: Int, _ summaries: [Summary], _ index: [String: Int])
        -> [(flow: Int, exit: Exit)]? {
        var parent: [Int: (flow: Int, exit: Exit)] = [:]
        var queue = [origin]
        var head = 0
        while head < queue.count {
            let f = queue[head]
            head += 1
            for exit in preferred(summaries[f].exits) {
                guard let t = index[exit.into] else { continue }
                if t == origin {
                    var cycle = [(flow: f, exit: exit)]
                    var at = f
                    while at != origin, let p = parent[at] {
                        cycle.append(p)
                        at = p.flow
                    }
                    return cycle.reversed()
                }
                if parent[t] == nil, t != origin {
                    parent[t] = (f, exit)
                    queue.append(t)
                }
            }
        }
        return nil
    }

    /// One exit per target flow, in order of first appearance: a waiting one when there is one.
    private static func preferred(_ exits: [Exit]) -> [Exit] {
        var chosen: [String: Int] = [:]
        var list: [Exit] = []
        for exit in exits {
            if let i = chosen[exit.into] {
                if exit.waits, !list[i].waits { list[i] = exit }
            } else {
                chosen[exit.into] = list.count
                list.append(exit)
            }
        }
        return list
    }
}

fileprivate extension Diagnostic {
    static func silentLoopAcrossFlows(_ cycle: [(flow: Int, exit: SilentCallerAcrossFlows.Exit)],
                                      _ summaries: [SilentCallerAcrossFlows.Summary]) -> Diagnostic {
        let first = cycle[0]
        let file = summaries[first.flow].flow.file
        let path = cycle.map { "\(summaries[$0.flow].flow.name.value) (\($0.exit.node))" }
            + [summaries[first.flow].flow.name.value]
        let description = path.joined(separator: " -> ")
        var notes = [Note("the silent path across flows: \(description)", file: file, range: first.exit.range)]
        for hop in cycle.dropFirst() {
            notes.append(Note("flow '\(summaries[hop.flow].flow.name.value)' sends a silent caller on to '\(hop.exit.into)' here",
                              file: summaries[hop.flow].flow.file, range: hop.exit.range))
        }
        if cycle.contains(where: { $0.exit.waits }) {
            return Diagnostic(
                .E303, "a caller who never presses a key is never disconnected: silence leads from flow to flow forever",
                file: file, range: first.exit.range, notes: notes,
                help: "let silence end the call in one of these flows: make on-exhausted transfer to a person or say goodbye and hang up")
        }
        let spin = cycle.count == 1 ? "this flow transfers to itself" : "these flows transfer to each other"
        return Diagnostic(
            .E301, "\(spin) without ever waiting for the caller",
            file: file, range: first.exit.range, notes: notes,
            help: "wait for the caller (a menu or capture) or end the call on the way")
    }
}
