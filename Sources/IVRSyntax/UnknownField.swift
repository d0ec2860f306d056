/// E003, an unknown field, as every YAML file ivrc reads reports it (flows,
/// the manifest, test files): "did you mean" and a fix-it replacing the key
/// when one of the allowed names is close, and a note listing the names the
/// mapping takes.
extension DiagnosticSink {
    /// E003 for `key` in `context` (`'expect'`, `a test case`, `transfer`).
    /// `suggestion` names the field meant by a key too far from it to be
    /// guessed (`option` for `options`); `help` is said when no name is
    /// close.
    public mutating func unknownField(_ key: String, at range: SourceRange, in context: String, allowed: [String],
                                      suggestion: String? = nil, help: String? = nil) {
        let guess = suggestion ?? closestMatch(to: key, in: allowed)
        let fix = guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: range, replacement: $0) }
        let note = allowed.isEmpty ? "\(context) takes no fields"
            : allowed.count <= 18 ? "\(context) takes: \(allowed.joined(separator: ", "))" : nil
        emit(.E003, "unknown field '\(key)' in \(context)", at: range,
             notes: note.map { [Diagnostic.Note($0)] } ?? [],
             help: guess.map { "did you mean '\($0)'?" } ?? help, fix: fix)
    }
}
