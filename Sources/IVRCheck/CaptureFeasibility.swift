import IVRSyntax

/// E107: a capture that can never succeed: its terminator is a digit (the
/// digit would end the input instead of being part of it), or its pattern
/// matches no input of `min`...`max` keys. A pattern searches, so the
/// question is whether such an input *contains* a match (`Pattern.canMatch`
/// answers it on the search automaton): `"12"` needs two keys, `"^1"` fits
/// any length from one. The keys a caller can enter are
/// the digits, plus `*` and `#` when they are not the terminator.
enum CaptureFeasibility: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let broken = analysis.broken
        for entry in analysis.index.entries(.capture) where !broken.nodes[entry.node] {
            guard case .capture(let c) = entry.step.kind else { continue }
            if let t = c.terminator, let key = t.value, key.isDigit {
                out.append(.digitTerminator(key, at: t.range, in: analysis.flow))
                continue
            }
            guard let written = c.pattern, c.effectiveMin <= c.effectiveMax,
                  case .success(let pattern) = RegexPatterns.compile(written.value) else { continue }
            var alphabet = Pattern.dtmfDigits
            for key in [DTMFKey.star, .hash] where c.effectiveTerminator != key { alphabet.insert(key.character) }
            if !pattern.canMatch(lengths: c.effectiveMin...c.effectiveMax, alphabet: alphabet) {
                out.append(.patternCannotMatch(written, min: c.effectiveMin, max: c.effectiveMax,
                                               shortest: pattern.minMatchLength(alphabet: alphabet),
                                               longest: pattern.maxMatchLength(alphabet: alphabet), in: analysis.flow))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func digitTerminator(_ key: DTMFKey, at range: SourceRange, in flow: Flow) -> Diagnostic {
        Diagnostic(.E107, "this capture can never succeed: the terminator '\(key.rawValue)' is a digit, so it ends the input instead of being part of it",
                   file: flow.file, range: range,
                   help: "use \"#\" (the default) or \"*\" as the terminator, or 'none'")
    }

    static func patternCannotMatch(_ pattern: Located<String>, min: Int, max: Int, shortest: Int?, longest: Int?,
                                   in flow: Flow) -> Diagnostic {
        let lengths = min == max ? "\(min) key\(min == 1 ? "" : "s")" : "\(min) to \(max) keys"
        var notes: [Note] = []
        if let shortest, shortest > max {
            notes.append(Note("a match needs at least \(shortest) key\(shortest == 1 ? "" : "s")"))
        } else if let longest, longest < min {
            notes.append(Note("the pattern matches nothing longer than \(longest) key\(longest == 1 ? "" : "s")"))
        }
        return Diagnostic(.E107, "this capture can never succeed: pattern '\(pattern.value)' matches no input of \(lengths)",
                          file: flow.file, range: pattern.range, notes: notes,
                          help: "make 'min' and 'max' agree with the pattern")
    }
}
