import IVRSyntax

/// W304: a node, or inline steps standing where a node would (`goto`, a
/// menu option, `on-exhausted`, `on-fail`, `on-error`), whose last step
/// does not jump: the call ends with an implicit hangup. Handlers return to
/// their menu and branch arms continue after the branch, so they are not
/// concerned. Reported once per node or inline target, at its last step.
enum ImplicitHangup: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        let index = analysis.index
        let broken = analysis.broken
        for (i, list) in index.nodeLists.enumerated() where !broken.nodes[i] {
            let facts = index.listFacts[list]
            if facts.count > 0, facts.firstJump < 0, let last = flow.nodes[i].steps.last {
                out.append(.implicitHangup(last, where: "node '\(flow.nodes[i].name.value)'", in: flow))
            }
        }
        for inline in index.inlineTargets where !broken.nodes[inline.node] {
            let facts = index.listFacts[inline.list]
            guard facts.count > 0, facts.firstJump < 0 else { continue }
            switch inline.field {
            case .goto, .option, .onExhausted, .onFail, .onError:
                guard let last = index.stepLists[inline.list].last else { continue }
                out.append(.implicitHangup(last, where: "the inline \(inline.field) steps", in: flow))
            case .onInvalid, .onTimeout, .then, .otherwise:
                continue
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func implicitHangup(_ last: Step, where place: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.W304, "\(place) ends without a jump after this '\(last.keyword)': the call hangs up here",
                   file: flow.file, range: last.range,
                   help: "end with an explicit 'hangup' (or a transfer or goto) to make the end of the call clear")
    }
}
