import IVRSyntax

/// E211: two flows with the same name or the same extension. Reported at the
/// later flow (in path order), with a note at the first; when only some files
/// of a project are checked, at the checked file.
enum DuplicateFlows: ProjectCheck {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic]) {
        let checked = Set(context.project.flows.map(\.file))
        let all = (context.project.flows + context.project.contextFlows).sorted { $0.file < $1.file }
        var names: [String: Flow] = [:]
        var extensions: [String: Flow] = [:]
        for flow in all {
            if !flow.name.value.isEmpty {
                if let first = names[flow.name.value] {
                    report(flow, first, checked, "name '\(flow.name.value)'", flow.name.range, first.name.range, &out)
                } else {
                    names[flow.name.value] = flow
                }
            }
            if let ext = flow.extensionNumber {
                if let first = extensions[ext.value], let firstRange = first.extensionNumber?.range {
                    report(flow, first, checked, "extension \(ext.value)", ext.range, firstRange, &out)
                } else {
                    extensions[ext.value] = flow
                }
            }
        }
    }

    private static func report(_ later: Flow, _ first: Flow, _ checked: Set<String>, _ what: String,
                               _ range: SourceRange, _ firstRange: SourceRange, _ out: inout [Diagnostic]) {
        if checked.contains(later.file) {
            out.append(.duplicate(what, at: range, in: later, other: first, otherRange: firstRange, otherIsFirst: true))
        } else if checked.contains(first.file) {
            out.append(.duplicate(what, at: firstRange, in: first, other: later, otherRange: range, otherIsFirst: false))
        }
    }
}

fileprivate extension Diagnostic {
    static func duplicate(_ what: String, at range: SourceRange, in flow: Flow, other: Flow, otherRange: SourceRange,
                          otherIsFirst: Bool) -> Diagnostic {
        Diagnostic(.E211, "flow \(what) is already used by \(other.file)", file: flow.file, range: range,
                   notes: [Note(otherIsFirst ? "first used here" : "also used here", file: other.file, range: otherRange)],
                   help: "flow names and extensions must be unique in a project")
    }
}
