import IVRSyntax

/// E211: two flows with the same name or the same extension. Reported at
/// the later flow (in path order), with a note at the first.
enum DuplicateFlows: ProjectCheck {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic]) {
        let flows = context.project.flows.sorted { $0.file < $1.file }
        var names: [String: Flow] = [:]
        var extensions: [String: Flow] = [:]
        for flow in flows {
            if !flow.name.value.isEmpty {
                if let first = names[flow.name.value] {
                    out.append(.duplicate("name '\(flow.name.value)'", at: flow.name.range, in: flow,
                                          first: first, firstRange: first.name.range))
                } else {
                    names[flow.name.value] = flow
                }
            }
            if let ext = flow.extensionNumber {
                if let first = extensions[ext.value] {
                    out.append(.duplicate("extension \(ext.value)", at: ext.range, in: flow,
                                          first: first, firstRange: first.extensionNumber!.range))
                } else {
                    extensions[ext.value] = flow
                }
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func duplicate(_ what: String, at range: SourceRange, in flow: Flow, first: Flow, firstRange: SourceRange) -> Diagnostic {
        Diagnostic(.E211, "flow \(what) is already used by \(first.file)", file: flow.file, range: range,
                   notes: [Note("first used here", file: first.file, range: firstRange)],
                   help: "flow names and extensions must be unique in a project")
    }
}
