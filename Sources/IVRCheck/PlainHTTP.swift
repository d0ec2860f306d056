import IVRSyntax

/// W502: a webhook or events URL over plain `http://`: caller data would
/// cross the network unencrypted.
enum PlainHTTP: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        if let events = flow.events, events.url.value.raw.hasPrefix("http://") {
            out.append(.plainHTTP("events url", events.url.range, in: flow))
        }
        for entry in analysis.index.entries(.webhook) {
            let step = entry.step
            if case .webhook(let w) = step.kind, w.url.value.raw.hasPrefix("http://") {
                out.append(.plainHTTP("webhook url", w.url.range, in: flow))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func plainHTTP(_ what: String, _ range: SourceRange, in flow: Flow) -> Diagnostic {
        Diagnostic(.W502, "\(what) uses plain http://; caller data is sent unencrypted", file: flow.file, range: range,
                   help: "use https://")
    }
}
