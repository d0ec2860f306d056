import IVRSyntax

/// E406: a regex that does not compile: a capture's `pattern`, a
/// `dial-by-extension` pattern, a transfer's `allow`. (`matches()` in
/// conditions is checked with the expressions.)
enum RegexPatterns: FlowCheck {
    static var runsLate: Bool { true }

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
            out.append(.invalidRegex(pattern, field: field, error, in: analysis.flow))
        }
    }

    static func compile(_ source: String) -> Result<Pattern, PatternError> {
        do { return .success(try Pattern(source)) } catch { return .failure(error) }
    }
}

extension Diagnostic {
    /// E406 for a regex written as a YAML scalar; a note points at the
    /// offending character when the scalar stands in the file as its value
    /// (plain, or quoted without escapes).
    static func invalidRegex(_ pattern: Located<String>, field: String, _ error: PatternError, in flow: Flow) -> Diagnostic {
        let source = pattern.value
        let range = pattern.range
        var notes: [Note] = []
        let scalars = Array(source.unicodeScalars)
        let length = range.end.offset - range.start.offset
        let quote = length == source.utf8.count + 2 ? 1 : length == source.utf8.count ? 0 : -1
        if range.start.line == range.end.line, quote >= 0, error.offset <= scalars.count {
            let before = scalars.prefix(error.offset)
            var at = range.start
            at.column += quote + before.count
            at.offset += quote + before.reduce(0) { $0 + UTF8.width($1) }
            let width = error.offset < scalars.count ? UTF8.width(scalars[error.offset]) : 0
            let end = SourceLocation(line: at.line, column: at.column + (width > 0 ? 1 : 0), offset: at.offset + width)
            notes.append(Note("here", file: flow.file, range: SourceRange(start: at, end: end)))
        }
        return Diagnostic(.E406, "invalid regex in '\(field)': \(error.message)", file: flow.file, range: range, notes: notes)
    }
}
