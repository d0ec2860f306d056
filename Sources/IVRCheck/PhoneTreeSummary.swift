import IVRSyntax

/// Short words for the graph: a node's kind, the lines under its name, and
/// edge labels.
enum PhoneTreeSummary {
    /// The kind that decides how a node looks: the step that matters most to
    /// a caller, in the order menu, capture, transfer, branch, webhook,
    /// record, hangup (a node that asks for an account number, looks it up
    /// and branches on the answer is drawn as a capture).
    static func kind(of steps: [Step]) -> PhoneTree.Kind {
        var best = PhoneTree.Kind.step
        var bestRank = Int.max
        for step in steps {
            let (kind, rank): (PhoneTree.Kind, Int)
            switch step.kind {
            case .menu: (kind, rank) = (.menu, 0)
            case .capture: (kind, rank) = (.capture, 1)
            case .transfer: (kind, rank) = (.transfer, 2)
            case .branch: (kind, rank) = (.branch, 3)
            case .webhook: (kind, rank) = (.webhook, 4)
            case .record: (kind, rank) = (.record, 5)
            case .hangup: (kind, rank) = (.hangup, 6)
            case .say, .play, .set, .goto, .wait: continue
            }
            if rank < bestRank { (best, bestRank) = (kind, rank) }
        }
        return best
    }

    /// One line per significant step; a node of only prompts shows its first one.
    static func details(of steps: [Step]) -> [String] {
        let lines = steps.compactMap(line)
        if !lines.isEmpty { return lines }
        return steps.lazy.compactMap(media).first.map { [$0] } ?? []
    }

    private static func line(_ step: Step) -> String? {
        switch step.kind {
        case .menu(let m):
            let keys = m.options.map { String($0.key.value.character) }.joined(separator: " ")
            return "menu [\(keys)]"
        case .capture(let c): return "capture \(c.into.value)"
        case .set(let s): return "set " + clip(s.assignments.map(\.name.value).joined(separator: ", "), 24)
        case .branch(let b): return b.otherwise == nil ? "branch (\(b.arms.count))" : "branch (\(b.arms.count) + else)"
        case .transfer(let t):
            let value = clip(t.destination.value.value.raw, 32)
            return t.destination.kind == .sip ? value : "\(t.destination.kind.rawValue) \(value)"
        case .webhook(let w): return "webhook \(w.effectiveMethod.rawValue) " + clip(host(w.url.value.raw), 28)
        case .record(let r): return "record \(r.into.value)"
        case .hangup: return "hang up"
        case .wait(let w): return "wait for \(w.kind.value.rawValue)"
        case .say, .play, .goto: return nil
        }
    }

    private static func media(_ step: Step) -> String? {
        switch step.kind {
        case .say(let s): return "say \u{201C}" + clip(s.text.value.raw, 26) + "\u{201D}"
        case .play(let p):
            if let transcript = p.transcript { return "play \u{201C}" + clip(transcript.value, 25) + "\u{201D}" }
            return "play " + clip(p.file.value, 26)
        default: return nil
        }
    }

    /// `https://api.acme.example/x/y` -> `api.acme.example`.
    static func host(_ url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }

    /// The text, cut to `limit` characters with an ellipsis, on one line.
    static func clip(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(max(1, limit - 1))) + "\u{2026}"
    }

    /// The edge label of a target field: the key for options, a short name
    /// for handlers, nothing for `goto`.
    static func label(_ field: TargetField) -> String? {
        switch field {
        case .option(let spelling): DTMFKey(spelling: spelling).map { String($0.character) } ?? spelling
        case .onInvalid: "invalid"
        case .onTimeout: "timeout"
        case .onExhausted: "exhausted"
        case .then: "then"
        case .otherwise: "else"
        case .goto: nil
        case .onFail: "on-fail"
        case .onError: "on-error"
        }
    }

    /// Paths taken when something goes wrong: drawn dashed.
    static func isExceptional(_ field: TargetField) -> Bool {
        switch field {
        case .onInvalid, .onTimeout, .onExhausted, .onFail, .onError: true
        case .option, .then, .otherwise, .goto: false
        }
    }
}
