/// The fields of a `transfer` that say how the caller is connected (`via`)
/// and what a bridge does (flow-language 5.3): `ringback`, `whisper`,
/// `confirm`, `confirm-timeout`, `record`, `max-duration`.
extension FlowBuilder {
    static let ringbackToneFields: FieldNames = ["tone"]

    mutating func readBridgeFields(_ f: Fields, into transfer: inout Transfer) {
        if let node = f["via"], let s = string(node, "via") {
            switch Transfer.Via(rawValue: s) {
            case .refer?, .bridge?:
                transfer.via = Located(Transfer.Via(rawValue: s)!, node.range)
            case .auto?:
                sink.emit(.E006, "a transfer's 'via' is refer or bridge; 'auto' is the manifest's sip.transfer only",
                          at: node.range,
                          help: "write 'via: bridge', or set 'transfer: auto' under 'sip:' in ivr-project.yaml")
                nodeIsMalformed = true
            case nil:
                let guess = closestMatch(to: s, in: ["refer", "bridge"])
                sink.emit(.E006, "'via' must be refer or bridge, found '\(s)'", at: node.range,
                          help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: node.range, replacement: $0) })
                nodeIsMalformed = true
            }
        }
        if let node = f["ringback"] { transfer.ringback = ringback(node) }
        transfer.whisper = f["whisper"].flatMap { buildPrompt($0, "whisper") }
        if let node = f["confirm"] { transfer.confirm = confirmKey(node) }
        transfer.confirmTimeout = f["confirm-timeout"].flatMap { duration($0, "confirm-timeout", DurationLimits.confirmTimeout) }
        transfer.record = f["record"].flatMap { bool($0, "record") }
        transfer.maxDuration = f["max-duration"].flatMap { duration($0, "max-duration", DurationLimits.bridgeMaxDuration) }
        for pair in f.node.lazyPairs ?? YAMLView.Pairs.empty(f.node) {
            guard let key = pair.key.scalar, Self.bridgeOnlyFields.contains(key),
                  !transfer.bridgeOnlyKeys.contains(where: { $0.field == key }) else { continue }
            transfer.bridgeOnlyKeys.append((key, pair.key.range))
        }
    }

    /// `tone`, `{tone: us|uk|eu|jp}`, or media steps (a `say`/`play` step or a list of them).
    private mutating func ringback(_ node: YAMLView) -> Transfer.Ringback? {
        if node.shape == .scalar {
            if node.isScalar("tone") { return .tone(nil, range: node.range) }
            let found = node.scalar.map { "'\($0)'" } ?? node.kindName
            sink.emit(.E005, "'ringback' must be tone, {tone: us|uk|eu|jp}, or say/play steps, found \(found)",
                      at: node.range, help: "write 'ringback: tone' or 'ringback: {play: audio/hold.wav}'")
            nodeIsMalformed = true
            return nil
        }
        if node.shape == .mapping, node.value(forKey: "tone") != nil {
            guard let f = fields(of: node, in: "ringback", allowed: Self.ringbackToneFields),
                  let toneNode = f["tone"], let s = string(toneNode, "tone") else { return nil }
            guard let tone = Transfer.RingbackTone(rawValue: s) else {
                let names = Transfer.RingbackTone.allCases.map(\.rawValue)
                let guess = closestMatch(to: s, in: names)
                sink.emit(.E006, "'tone' must be one of \(names.joined(separator: ", ")), found '\(s)'", at: toneNode.range,
                          help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: toneNode.range, replacement: $0) })
                nodeIsMalformed = true
                return nil
            }
            return .tone(Located(tone, toneNode.range), range: node.range)
        }
        return buildPrompt(node, "ringback").map { .media($0) }
    }

    /// One key: 0-9, *, #, A-D (or star, hash, pound). E006 otherwise.
    private mutating func confirmKey(_ node: YAMLView) -> Located<Character>? {
        guard let s = string(node, "confirm") else { return nil }
        if let key = DTMFKey(spelling: s) { return Located(key.character, node.range) }
        if s.count == 1, let c = s.first, Transfer.isConfirmKey(c) { return Located(c, node.range) }
        var help = "the callee presses one key: 0-9, *, #, or A-D"
        var fix: Diagnostic.FixIt?
        if s.count == 1, let c = s.first, Transfer.isConfirmKey(Character(c.uppercased())) {
            help = "the keys A-D are upper case"
            fix = Diagnostic.FixIt(message: "replace with '\(c.uppercased())'", range: node.range, replacement: c.uppercased())
        } else if s.count > 1, s.allSatisfy(\.isASCIIDigit) {
            help = "confirm takes one key, not \(s.count) digits"
        }
        sink.emit(.E006, "confirm key '\(s)' is not a key", at: node.range, help: help, fix: fix)
        nodeIsMalformed = true
        return nil
    }
}
