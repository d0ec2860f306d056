import IVRSyntax

/// E503: a value captured with `sensitive: true` (or anything `set` makes
/// from it) spoken in a `say`, put in a webhook or events URL, or sent in
/// the body of a plain `http://` webhook.
enum SensitiveValues: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let graph = analysis.graph
        let flow = analysis.flow
        let isSensitive: (Step) -> Bool = { step in
            if case .capture(let c) = step.kind { return c.isSensitive }
            return false
        }
        // Without a sensitive capture nothing is ever marked.
        guard graph.steps.contains(where: isSensitive) else { return }
        let broken = analysis.broken
        let vars = analysis.variables
        let states = vars.propagation(graph, source: isSensitive)
        var everSensitive = Array(repeating: UInt64(0), count: states.words)
        var reported = Set<Int>()
        for v in 0..<graph.vertexCount where graph.reachable.contains(v) {
            for k in 0..<states.words { everSensitive[k] |= states.bits[v * states.words + k] }
            guard vars.readOffsets[v] < vars.readOffsets[v + 1], !broken.contains(vertex: v, in: graph),
                  let step = graph.step(v) else { continue }
            var plainHTTP = false
            if case .webhook(let hook) = step.kind { plainHTTP = hook.url.value.raw.hasPrefix("http://") }
            for read in vars.reads(of: v) {
                guard states.contains(v, read.number) else { continue }
                let exposure: String
                switch read.place {
                case .spoken: exposure = "spoken aloud"
                case .url: exposure = "put in a URL (URLs end up in logs)"
                case .body where plainHTTP: exposure = "sent unencrypted in a plain http:// webhook body"
                default: continue
                }
                guard reported.insert(read.range.start.offset).inserted else { continue }
                out.append(.exposed(read, exposure, origin: vars.firstWrite(of: read.root, in: graph, where: isSensitive),
                                    at: context.range(of: read, in: flow), in: flow))
            }
        }
        if let events = flow.events {
            for part in events.url.value.parts {
                guard case .variable(let name, let offset) = part, let n = vars.index(FlowVariables.root(name)),
                      everSensitive[n >> 6] & (1 << UInt64(n & 63)) != 0 else { continue }
                let read = FlowVariables.Read(name: name, root: FlowVariables.root(name), range: events.url.range, place: .url,
                                              number: n, assignment: -1, text: events.url.value.raw, reference: offset)
                out.append(.exposed(read, "put in the events URL (URLs end up in logs)", origin: nil, at: context.range(of: read, in: flow),
                                    in: flow))
                break
            }
        }
    }
}

fileprivate extension Diagnostic {
    /// `range` is the reference itself (`${pin}`).
    static func exposed(_ read: FlowVariables.Read, _ exposure: String, origin: Located<String>?, at range: SourceRange,
                        in flow: Flow) -> Diagnostic {
        Diagnostic(.E503, "'\(read.root)' holds a sensitive value and would be \(exposure)",
                   file: flow.file, range: range,
                   notes: origin.map { [Note("captured with sensitive: true here", file: flow.file, range: $0.range)] } ?? [],
                   help: read.place == .spoken ? "do not read sensitive digits back; confirm without repeating them"
                       : "send it in the body of an https:// POST webhook instead")
    }
}
