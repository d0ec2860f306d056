/// The fields of one YAML mapping, checked against the names it allows.
struct Fields {
    let node: YAMLNode

    init(node: YAMLNode) {
        self.node = node
    }

    /// The value of the first pair with this key (mappings are small: a
    /// linear scan of the key bytes beats hashing).
    subscript(name: String) -> YAMLNode? { node.value(forKey: name) }

    func key(_ name: String) -> YAMLNode? { node.key(name) }

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
        if let first = node.lazyPairs?.first { return first.key.range }
        return node.range
    }
}

extension FlowBuilder {
    /// Reads a mapping and reports every key not in `allowed` (E003, with a
    /// suggestion) and non-scalar keys (E005).
    mutating func fields(of node: YAMLNode, in context: String, allowed: [String], hints: [String: String] = [:]) -> Fields? {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "\(context) must be a mapping, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        for pair in pairs {
            let keyNode = pair.key
            guard keyNode.shape == .scalar else {
                sink.emit(.E005, "a key in \(context) must be a string, found \(keyNode.kindName)", at: keyNode.range)
                continue
            }
            let key = keyNode.scalar ?? "" // up to 15 bytes: an inline small string, no allocation
            if !allowed.contains(key) {
                unknownField(key, at: keyNode.range, in: context, allowed: allowed, hint: hints[key])
            }
        }
        return Fields(node: node)
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
