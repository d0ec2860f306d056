/// `${name}` references in text (section 5.2), and where a scalar's
/// characters stand in the file, so that a diagnostic about one reference
/// points at that reference.
extension FlowBuilder {
    /// Where each character of a scalar's value stands in the file.
    func sourceMap(_ node: YAMLView) -> ScalarSourceMap {
        ScalarSourceMap(value: node.scalar ?? "", range: node.range, source: source)
    }

    /// Text with `${name}` references. An unclosed `${` and a reference that
    /// is no variable name are E006, at the reference.
    mutating func interpolated(_ node: YAMLView, _ field: String) -> Located<InterpolatedString>? {
        guard let s = string(node, field) else { return nil }
        let parsed = InterpolatedString(parsing: s)
        let malformed = parsed.error != nil || parsed.variables.contains { !Self.isVariableReference($0) }
        guard malformed else { return Located(parsed, node.range) }
        let map = sourceMap(node)
        if let error = parsed.error {
            let at = parsed.unclosedOffset ?? 0
            sink.emit(.E006, error, at: map.range(of: at..<(at + 2)), help: "write variables as ${name}")
        }
        for part in parsed.parts {
            guard case .variable(let name, let offset) = part, !Self.isVariableReference(name) else { continue }
            sink.emit(.E006, "'${\(name)}' is not a variable name", at: map.range(of: parsed.referenceSpan(at: offset)),
                      help: "variable names are letters, digits and '_', with '.' for webhook fields")
        }
        return Located(parsed, node.range)
    }
}
