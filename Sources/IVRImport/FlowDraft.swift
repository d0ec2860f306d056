/// A flow as an importer assembles it, before it is written as YAML: the
/// flow's fields, its nodes in order, and the warnings collected on the way.
struct FlowDraft: Sendable {
    var name: String
    var description: String?
    var language: String?
    var voice: String?
    var start: String?
    /// Comment lines at the top of the file.
    var header: [String] = []
    /// Top-level fields written before `nodes` (`hours`).
    var fields: [YAMLEntry] = []
    /// Node name -> node, in the order they are written.
    var nodes: [YAMLEntry] = []
    var warnings: [ImportWarning] = []

    init(name: String) { self.name = name }

    mutating func warn(_ line: Int, _ message: String) {
        warnings.append(ImportWarning(line: line, message))
    }

    mutating func addNode(_ name: String, _ value: YAMLValue, comments: [String] = []) {
        nodes.append(YAMLEntry(name, value, comments: comments))
    }

    /// The flow file.
    var yaml: String {
        var top: [YAMLEntry] = [YAMLEntry("ivr", .scalar(name), comments: header)]
        if let description { top.append(YAMLEntry("description", .scalar(description))) }
        if let language { top.append(YAMLEntry("language", .scalar(language))) }
        if let voice { top.append(YAMLEntry("voice", .scalar(voice))) }
        if let start, nodes.first?.key != start { top.append(YAMLEntry("start", .scalar(start))) }
        var text = YAMLText.document(top + fields)
        text += "\nnodes:\n"
        for (i, node) in nodes.enumerated() {
            if i > 0 { text += "\n" }
            YAMLText.write([node], indent: 2, into: &text)
        }
        return text
    }

    /// Warnings by line, in the order they were found within a line.
    var sortedWarnings: [ImportWarning] {
        warnings.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}
