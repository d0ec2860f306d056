import IVRSyntax

/// W304: a node, or inline steps standing where a node would (`goto`, a
/// menu option, `on-exhausted`, `on-fail`, `on-error`), whose last step
/// does not jump: the call ends with an implicit hangup. Handlers return to
/// their menu and branch arms continue after the branch, so they are not
/// concerned. Reported once per node or inline target, at its last step.
enum ImplicitHangup: FlowCheck {
    static func run(_ index: FlowIndex, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = index.flow
        let broken = BrokenNodes(flow, context)
        for (i, node) in flow.nodes.enumerated() where !broken.nodes[i] {
            if let last = node.steps.last, !node.steps.contains(where: \.alwaysJumps) {
                out.append(.implicitHangup(last, where: "node '\(node.name.value)'", in: flow))
            }
        }
        for entry in index.targets where !broken.nodes[entry.node] {
            guard case .inline(let steps, _) = entry.target, let last = steps.last,
                  !steps.contains(where: \.alwaysJumps) else { continue }
            switch entry.field {
            case .goto, .option, .onExhausted, .onFail, .onError:
                out.append(.implicitHangup(last, where: "the inline \(entry.field) steps", in: flow))
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
