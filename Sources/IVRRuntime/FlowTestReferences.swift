import IVRBytecode
import IVRCheck
import IVRSyntax

/// What a test file names in the project, checked against it: the flow
/// (E202, as for an `ivr:` transfer to a missing flow) and the nodes of
/// each case's `visited` (E201, as for a target naming no node), each with
/// "did you mean" and a fix-it.
enum FlowTestReferences {
    static func check(_ file: FlowTestFile, project: Project, bundle: VerifiedBundle) -> [Diagnostic] {
        var sink = DiagnosticSink(file: file.file)
        let flow = file.flow
        if bundle.flowIndex(flow.value) == nil {
            let guess = closestMatch(to: flow.value, in: bundle.flowNames.sorted())
            sink.emit(.E202, "test file names flow '\(flow.value)', which is not in the project", at: flow.range,
                      notes: guess == nil ? [Diagnostic.Note("the project's flows: \(bundle.flowNames.sorted().joined(separator: ", "))")] : [],
                      help: guess.map { "did you mean '\($0)'?" },
                      fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: flow.range,
                                                        replacement: Diagnostic.FixIt.scalar($0)) })
        }
        // Nodes of the flow under test first: a guess among them is the likelier one.
        let own = project.flows.first { $0.name.value == flow.value || $0.extensionNumber?.value == flow.value }
        let ownNodes = own.map { $0.nodes.map(\.name.value) } ?? []
        let allNodes = Set(project.flows.flatMap { $0.nodes.map(\.name.value) })
        for c in file.cases {
            for name in c.expect.visitedNodes ?? [] where !allNodes.contains(name.value) {
                let guess = closestMatch(to: name.value, in: ownNodes) ?? closestMatch(to: name.value, in: allNodes.sorted())
                sink.emit(.E201, "case '\(c.name)' expects node '\(name.value)' in 'visited', which no flow of the project has",
                          at: name.range, help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: name.range,
                                                            replacement: Diagnostic.FixIt.scalar($0)) })
            }
        }
        return sink.diagnostics
    }
}
