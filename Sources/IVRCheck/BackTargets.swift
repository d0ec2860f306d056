import IVRSyntax

/// E212: `back` where no menu can have been visited before: the runtime
/// would restart the flow instead. `back` inside a menu's options and
/// handlers returns to the menu under that one; elsewhere, to the last menu
/// visited (the graph resolves both with the runtime's menu stack). A flow
/// that another flow continues into (`ivr:`) may be entered with menus on the
/// stack, so it is not checked.
enum BackTargets: GraphCheck {
    static func run(_ analysis: GraphAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        guard !context.enteredFromOtherFlows.contains(analysis.flow.name.value) else { return }
        let graph = analysis.graph
        guard graph.start != nil, !analysis.broken.any, graph.uncertain.isEmpty else { return }
        for target in graph.dynamicTargets where target.builtin == .back && target.menus.isEmpty {
            guard graph.reachable.contains(target.from) else { continue }
            out.append(.backWithoutMenu(target.range, node: graph.nodeName(of: target.from), in: analysis.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func backWithoutMenu(_ range: SourceRange, node: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.E212, "'back' has no menu to go back to: no menu leads to node '\(node)'",
                   file: flow.file, range: range,
                   help: "name the node to go to instead of 'back' (or 'top' for the start)")
    }
}
