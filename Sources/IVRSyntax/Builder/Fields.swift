/// The fields of one YAML mapping, checked against the names it allows.
struct Fields {
    let node: YAMLNode
    private let pairs: [YAMLNode.Pair]

    init(node: YAMLNode, pairs: [YAMLNode.Pair]) {
        self.node = node
        self.pairs = pairs
    }

    /// The first pair with this key (mappings are small: a linear scan beats hashing).
    private func pair(_ name: String) -> YAMLNode.Pair? {
        for pair in pairs {
            if case .scalar(let k, _) = pair.key.kind, k == name { return pair }
        }
        return nil
    }

    subscript(name: String) -> YAMLNode? { pair(name)?.value }

    func key(_ name: String) -> YAMLNode? { pair(name)?.key }

    /// The value of a required field, or an E004 at the mapping.
    func require(_ name: String, _ builder: inout FlowBuilder, what: String) -> YAMLNode? {
        if let value = self[name] { return value }
        builder.sink.emit(.E004, "missing required field \(what)", at: headRange,
                          help: "add '\(name): ...'")
        builder.nodeIsMalformed = true
        return nil
    }

    /// Where "missing field" diagnostics point: the first key of the mapping
    /// (its first line), or the mapping itself when it is empty.
    var headRange: SourceRange {
        if let first = node.pairs?.first { return first.key.range }
        return node.range
    }
}

extension FlowBuilder {
    /// Reads a mapping and reports every key not in `allowed` (E003, with a
    /// suggestion) and non-scalar keys (E005).
    mutating func fields(of node: YAMLNode, in context: String, allowed: [String], hints: [String: String] = [:]) -> Fields? {
        guard let pairs = node.pairs else {
            sink.emit(.E005, "\(context) must be a mapping, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        for pair in pairs {
            guard let key = pair.key.scalar else {
                sink.emit(.E005, "a key in \(context) must be a string, found \(pair.key.kindName)", at: pair.key.range)
                continue
            }
            if !allowed.contains(key) {
                unknownField(key, at: pair.key.range, in: context, allowed: allowed, hint: hints[key])
            }
        }
        return Fields(node: node, pairs: pairs)
    }

    mutating func unknownField(_ key: String, at range: SourceRange, in context: String, allowed: [String], hint: String? = nil) {
        var help = hint
        var fix: Diagnostic.FixIt?
        if help == nil, let guess = closestMatch(to: key, in: allowed) {
            help = "did you mean '\(guess)'?"
            fix = Diagnostic.FixIt(message: "replace with '\(guess)'", range: range, replacement: guess)
        }
        let known = allowed.count <= 12 ? allowed.joined(separator: ", ") : nil
        sink.emit(.E003, "unknown field '\(key)' in \(context)", at: range,
                  notes: known.map { [Diagnostic.Note("\(context) takes: \($0)")] } ?? [],
                  help: help, fix: fix)
    }
}
