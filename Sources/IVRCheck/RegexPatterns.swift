import IVRSyntax

/// E406: a regex that does not compile: a capture's `pattern`, a
/// `dial-by-extension` pattern, a transfer's `allow`. (`matches()` in
/// conditions is checked with the expressions.)
enum RegexPatterns: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        for entry in analysis.index.entries([.capture, .menu, .transfer]) {
            let source: (Located<String>, String)?
            switch entry.step.kind {
            case .capture(let c): source = c.pattern.map { ($0, "pattern") }
            case .menu(let m): source = m.dialByExtension.map { ($0.pattern, "dial-by-extension pattern") }
            case .transfer(let t): source = t.allow.map { ($0, "allow") }
            default: source = nil
            }
            guard let (pattern, field) = source, case .failure(let error) = compile(pattern.value) else { continue }
            let map = context.sourceMap(of: pattern.value, at: pattern.range, in: analysis.flow)
            out.append(.invalidRegex(pattern, field: field, error, map: map, in: analysis.flow))
        }
    }

    static func compile(_ source: String) -> Result<Pattern, PatternError> {
        do { return .success(try Pattern(source)) } catch { return .failure(error) }
    }
}

extension Diagnostic {
    /// E406 for a regex written as a YAML scalar; a note points at the
    /// offending character, through the scalar's quotes, escapes and folds
    /// (`map`), when the scalar maps exactly.
    static func invalidRegex(_ pattern: Located<String>, field: String, _ error: PatternError, map: ScalarSourceMap,
                             in flow: Flow) -> Diagnostic {
        var notes: [Note] = []
        if map.isExact, error.offset <= map.count {
            notes.append(Note("here", file: flow.file, range: map.range(of: error.offset..<min(error.offset + 1, map.count))))
        }
        return Diagnostic(.E406, "invalid regex in '\(field)': \(error.message)", file: flow.file, range: pattern.range,
                          notes: notes)
    }
}
