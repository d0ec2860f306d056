/// Menus, captures and prompts (flow-language.md sections 4 and 5.1).
extension FlowBuilder {
    static let menuFields = [
        "prompt", "short-prompt", "options", "timeout", "inter-digit-timeout", "attempts",
        "on-invalid", "on-timeout", "on-exhausted", "dial-by-extension",
    ]
    static let captureFields = [
        "prompt", "short-prompt", "into", "min", "max", "terminator", "timeout", "inter-digit-timeout",
        "pattern", "attempts", "sensitive", "on-invalid", "on-timeout", "on-exhausted",
    ]
    static let menuFieldNames = FieldNames(menuFields)
    static let captureFieldNames = FieldNames(captureFields)
    static let dialByExtensionFields: FieldNames = ["pattern", "inter-digit-timeout"]
    static let menuSuggestions = ["option": "options"]
    static let captureSuggestions = ["variable": "into", "var": "into"]

    mutating func buildMenu(_ node: YAMLView, key: YAMLView) -> Menu? {
        guard let f = fields(of: node, in: "menu", allowed: Self.menuFieldNames, suggestions: Self.menuSuggestions) else { return nil }
        let prompt = f["prompt"].flatMap { buildPrompt($0, "prompt") } ?? Prompt(steps: [], range: node.range)
        var options: [Menu.Option] = []
        var optionsRange = f.headRange
        if let optionsNode = f["options"] {
            optionsRange = optionsNode.range
            options = buildOptions(optionsNode)
        } else {
            sink.emit(.E106, "menu has no options", at: key.range,
                      help: "add 'options:' mapping keys to targets, e.g. \"1\": sales")
            nodeIsMalformed = true
        }
        var menu = Menu(prompt: prompt, options: options, optionsRange: optionsRange)
        menu.shortPrompt = f["short-prompt"].flatMap { buildPrompt($0, "short-prompt") }
        readWaitFields(f, timeout: &menu.timeout, interDigit: &menu.interDigitTimeout, attempts: &menu.attempts)
        menu.onInvalid = f["on-invalid"].flatMap { buildTarget($0, "on-invalid") }
        menu.onTimeout = f["on-timeout"].flatMap { buildTarget($0, "on-timeout") }
        menu.onExhausted = f["on-exhausted"].flatMap { buildTarget($0, "on-exhausted") }
        if let dbe = f["dial-by-extension"] { menu.dialByExtension = buildDialByExtension(dbe) }
        return menu
    }

    private mutating func readWaitFields(_ f: Fields, timeout: inout Located<Duration>?,
                                         interDigit: inout Located<Duration>?, attempts: inout Located<Int>?) {
        timeout = f["timeout"].flatMap { duration($0, "timeout", DurationLimits.keyTimeout) }
        interDigit = f["inter-digit-timeout"].flatMap { duration($0, "inter-digit-timeout", DurationLimits.interDigitTimeout) }
        attempts = f["attempts"].flatMap { self.attempts($0) }
    }

    private mutating func buildOptions(_ node: YAMLView) -> [Menu.Option] {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "'options' must be a mapping of keys to targets, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return []
        }
        if pairs.isEmpty {
            sink.emit(.E106, "menu has no options", at: node.range,
                      help: "add keys mapped to targets, e.g. \"1\": sales")
            nodeIsMalformed = true
            return []
        }
        var options: [Menu.Option] = []
        options.reserveCapacity(pairs.count)
        // At most twelve keys: a list beats hashing.
        var seen: [(key: DTMFKey, spelling: String, type: YAMLCoreType, written: String, range: SourceRange)] = []
        seen.reserveCapacity(min(pairs.count, 12))
        for pair in pairs {
            guard let spelling = pair.key.scalar, !pair.key.isNull else {
                sink.emit(.E101, "a menu key must be one of 0-9, *, #, found \(pair.key.kindName)", at: pair.key.range)
                continue
            }
            guard let key = DTMFKey(spelling: spelling) else {
                var help = "menu keys are 0-9, *, # (or star, hash, pound)"
                var fix: Diagnostic.FixIt?
                if spelling.count > 1, spelling.allSatisfy(\.isASCIIDigit) {
                    help = "a menu takes one key; use 'capture' or 'dial-by-extension' for several digits"
                } else if let guess = closestMatch(to: spelling, in: ["star", "hash", "pound"]) {
                    help = "did you mean '\(guess)'?"
                    fix = Diagnostic.FixIt(message: "replace with '\(guess)'", range: pair.key.range, replacement: guess)
                }
                sink.emit(.E101, "'\(spelling)' is not a menu key", at: pair.key.range, help: help, fix: fix)
                nodeIsMalformed = true
                continue
            }
            let type = YAMLCoreType(spelling, style: pair.key.style)
            let written = pair.key.style.isQuoted ? "\"\(spelling)\"" : spelling
            if let first = seen.first(where: { $0.key == key }) {
                // The same spelling and type twice is a duplicate YAML key
                // (E002), already reported; `star` and `"*"`, or `1` and
                // `"1"`, are two YAML keys for one menu key.
                if first.spelling != spelling || first.type != type {
                    sink.emit(.E102, "key '\(key.rawValue)' appears twice in this menu (\(first.written) and \(written))",
                              at: pair.key.range,
                              notes: [Diagnostic.Note("first given here", file: sink.file, range: first.range)],
                              help: "remove one of the two options")
                }
                nodeIsMalformed = true
                continue
            }
            seen.append((key, spelling, type, written, pair.key.range))
            guard let target = buildTarget(pair.value, "option '\(spelling)'") else { continue }
            options.append(Menu.Option(key: Located(key, pair.key.range), spelling: spelling, target: target))
        }
        return options
    }

    private mutating func buildDialByExtension(_ node: YAMLView) -> Menu.DialByExtension? {
        guard let f = fields(of: node, in: "dial-by-extension", allowed: Self.dialByExtensionFields),
              let patternNode = f.require("pattern", &self, what: "'pattern'"),
              let pattern = locatedString(patternNode, "pattern") else { return nil }
        let interDigit = f["inter-digit-timeout"].flatMap { duration($0, "inter-digit-timeout", DurationLimits.interDigitTimeout) }
        return Menu.DialByExtension(pattern: pattern, interDigitTimeout: interDigit, range: node.range)
    }

    mutating func buildCapture(_ node: YAMLView) -> Capture? {
        guard let f = fields(of: node, in: "capture", allowed: Self.captureFieldNames, suggestions: Self.captureSuggestions) else { return nil }
        guard let intoNode = f.require("into", &self, what: "'into' (the variable that receives the digits)"),
              let into = variableName(intoNode, "into") else { return nil }
        var capture = Capture(into: into)
        capture.prompt = f["prompt"].flatMap { buildPrompt($0, "prompt") }
        capture.shortPrompt = f["short-prompt"].flatMap { buildPrompt($0, "short-prompt") }
        capture.min = f["min"].flatMap { integer($0, "min", in: 0...Capture.maxDigitsLimit) }
        capture.max = f["max"].flatMap { integer($0, "max", in: 1...Capture.maxDigitsLimit) }
        if let min = capture.min, capture.effectiveMax < min.value {
            sink.emit(.E006, "min (\(min.value)) is greater than max (\(capture.effectiveMax))",
                      at: min.range.union(capture.max?.range ?? min.range),
                      notes: capture.max == nil ? [Diagnostic.Note("max defaults to 16")] : [])
            nodeIsMalformed = true
        }
        if let t = f["terminator"], let s = string(t, "terminator") {
            if s == "none" {
                capture.terminator = Located(nil, t.range)
            } else if let key = DTMFKey(spelling: s) {
                capture.terminator = Located(key, t.range)
            } else {
                sink.emit(.E006, "terminator must be a key (0-9, *, #) or 'none', found '\(s)'", at: t.range)
                nodeIsMalformed = true
            }
        }
        readWaitFields(f, timeout: &capture.timeout, interDigit: &capture.interDigitTimeout, attempts: &capture.attempts)
        capture.pattern = f["pattern"].flatMap { locatedString($0, "pattern") }
        capture.sensitive = f["sensitive"].flatMap { bool($0, "sensitive") }
        capture.onInvalid = f["on-invalid"].flatMap { buildTarget($0, "on-invalid") }
        capture.onTimeout = f["on-timeout"].flatMap { buildTarget($0, "on-timeout") }
        capture.onExhausted = f["on-exhausted"].flatMap { buildTarget($0, "on-exhausted") }
        return capture
    }

    /// A media step or a list of media steps.
    mutating func buildPrompt(_ node: YAMLView, _ field: String) -> Prompt? {
        if node.scalar != nil, !node.isNull {
            sink.emit(.E005, "'\(field)' must be a say or play step (or a list of them), found a string",
                      at: node.range, help: "write '\(field): {say: \"...\"}' or '\(field): {play: audio/file.wav}'")
            nodeIsMalformed = true
            return nil
        }
        let steps = buildStepList(node, context: "'\(field)'") // made only for a diagnostic
        if steps.allSatisfy(\.isMedia) { return Prompt(steps: steps, range: node.range) }
        var media: [Step] = []
        for step in steps {
            if step.isMedia {
                media.append(step)
            } else {
                sink.emit(.E005, "'\(field)' holds only say and play steps, found '\(step.keyword)'", at: step.keyRange)
                nodeIsMalformed = true
            }
        }
        return Prompt(steps: media, range: node.range)
    }
}
