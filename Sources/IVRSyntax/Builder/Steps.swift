/// Nodes, steps and targets (flow-language.md section 3).
extension FlowBuilder {
    static let stepKeywords = ["say", "play", "menu", "capture", "set", "branch", "goto", "transfer", "webhook", "record", "hangup", "wait"]
    static let stepKeywordProbes = ProbeTable(stepKeywords)
    static let builtinTargetProbes = ProbeTable(BuiltinTarget.allCases.map(\.rawValue))

    /// The built-in target a scalar names (`repeat`, `back`, `top`, `hangup`), compared on bytes.
    static func builtinTarget(_ node: YAMLView) -> BuiltinTarget? {
        node.firstMatch(in: builtinTargetProbes).map { BuiltinTarget.allCases[$0] }
    }

    /// Fields of each step, used to explain a field written at the wrong level.
    static let stepFields: [String: [String]] = [
        "menu": menuFields, "capture": captureFields, "transfer": transferFields,
        "webhook": webhookFields, "record": recordFields, "say": ["text", "voice", "language"],
        "play": ["file", "transcript"], "wait": waitFields,
    ]
    static let sayFields: FieldNames = ["text", "voice", "language"]
    static let playFields: FieldNames = ["file", "transcript"]

    /// A node or inline target: one step mapping, a list of steps, or `hangup`.
    /// (`context` is only made when a diagnostic needs it.)
    mutating func buildStepList(_ node: YAMLView, context: @autoclosure () -> String) -> [Step] {
        if let items = node.lazyItems {
            if items.isEmpty {
                sink.emit(.E004, "\(context()) has no steps", at: node.range)
                nodeIsMalformed = true
            }
            var steps: [Step] = []
            steps.reserveCapacity(items.count)
            for item in items {
                if let step = buildStep(item) { steps.append(step) }
            }
            return steps
        }
        return buildStep(node).map { [$0] } ?? []
    }

    /// One step. Reports unknown step keywords and extra keys.
    mutating func buildStep(_ node: YAMLView) -> Step? {
        if node.shape == .scalar {
            if node.isScalar("hangup") {
                return Step(kind: .hangup, keyRange: node.range, range: node.range)
            }
            let s = node.scalar ?? ""
            var help = node.isNull ? nil : "to jump to '\(s)', write 'goto: \(s)'"
            var fix: Diagnostic.FixIt?
            // `hangup` is the one step written as a bare word: a near miss is a typo of it.
            if !node.isNull, closestMatch(to: s, in: ["hangup"]) != nil {
                help = "did you mean 'hangup'?"
                fix = Diagnostic.FixIt(message: "replace with 'hangup'", range: node.range, replacement: "hangup")
            }
            sink.emit(.E005, "a step must be a mapping like 'say: ...', found \(node.isNull ? "null" : "'\(s)'")",
                      at: node.range, help: help, fix: fix)
            nodeIsMalformed = true
            return nil
        }
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "a step must be a mapping like 'say: ...', found a list", at: node.range,
                      help: "a node's steps form one list; nested lists are not allowed")
            nodeIsMalformed = true
            return nil
        }
        var found: (pair: YAMLView.Pair, keyword: Int)?
        for pair in pairs {
            let tree = node.tree
            if let i = tree.pointee.firstMatch(Int(tree.pointee.children[pair.position]), in: Self.stepKeywordProbes) {
                found = (pair, i)
                break
            }
        }
        guard let (stepPair, keywordIndex) = found, let stepKeyword = StepKeyword(rawValue: keywordIndex) else {
            if let first = pairs.first, let key = first.key.scalar {
                unknownField(key, at: first.key.range, in: "a step", allowed: Self.stepKeywords,
                             help: "a step starts with one of: \(Self.stepKeywords.joined(separator: ", "))")
            } else {
                sink.emit(.E004, "empty step", at: node.range, help: "write a step such as 'say: \"Hello\"'")
            }
            nodeIsMalformed = true
            return nil
        }
        if pairs.count > 1 {
            let keyword = Self.stepKeywords[keywordIndex]
            for pair in pairs where pair.key.firstMatch(in: Self.stepKeywordProbes) != keywordIndex {
                extraStepKey(pair.key, step: keyword)
            }
        }
        guard let kind = buildStepKind(stepKeyword, stepPair.value, keyNode: stepPair.key) else {
            nodeIsMalformed = true
            return nil
        }
        return Step(kind: kind, keyRange: stepPair.key.range, range: node.range)
    }

    private mutating func extraStepKey(_ key: YAMLView, step: String) {
        guard let name = key.scalar else {
            sink.emit(.E005, "a step key must be a string", at: key.range)
            return
        }
        var help: String
        var fix: Diagnostic.FixIt?
        if Self.stepKeywords.contains(name) {
            help = "a step holds one step key; make the node a list with '- \(step): ...' and '- \(name): ...'"
        } else if Self.stepFields[step]?.contains(name) == true {
            help = "'\(name)' is a field of '\(step)': indent it under '\(step):'"
        } else if let guess = closestMatch(to: name, in: Self.stepKeywords + (Self.stepFields[step] ?? [])) {
            help = "did you mean '\(guess)'?"
            fix = Diagnostic.FixIt(message: "replace with '\(guess)'", range: key.range, replacement: guess)
        } else {
            help = "a step mapping holds exactly one step key ('\(step)')"
        }
        sink.emit(.E003, "unknown field '\(name)' beside the '\(step)' step", at: key.range, help: help, fix: fix)
        nodeIsMalformed = true
    }

    /// The step keys, in the order of `stepKeywords`.
    enum StepKeyword: Int {
        case say, play, menu, capture, set, branch, goto, transfer, webhook, record, hangup, wait
    }

    private mutating func buildStepKind(_ keyword: StepKeyword, _ value: YAMLView, keyNode: YAMLView) -> Step.Kind? {
        switch keyword {
        case .say: return buildSay(value).map { .say($0) }
        case .play: return buildPlay(value).map { .play($0) }
        case .menu: return buildMenu(value, key: keyNode).map { .menu($0) }
        case .capture: return buildCapture(value).map { .capture($0) }
        case .set: return buildSet(value).map { .set($0) }
        case .branch: return buildBranch(value).map { .branch($0) }
        case .goto: return buildTarget(value, "goto").map { .goto($0) }
        case .transfer: return buildTransfer(value).map { .transfer($0) }
        case .webhook: return buildWebhook(value).map { .webhook($0) }
        case .record: return buildRecord(value).map { .record($0) }
        case .hangup:
            if value.isNull { return .hangup }
            if let pairs = value.lazyPairs {
                for pair in pairs {
                    unknownField(pair.key.scalar ?? "?", at: pair.key.range, in: "hangup", allowed: [],
                                 help: "hangup is written as a bare 'hangup' step (or 'hangup: {}')")
                }
                return .hangup
            }
            sink.emit(.E005, "'hangup' takes no value; write 'hangup' or 'hangup: {}'", at: value.range)
            return nil
        case .wait: return buildWait(value).map { .wait($0) }
        }
    }

    /// A target: a node name, a built-in, or inline steps.
    mutating func buildTarget(_ node: YAMLView, _ name: @autoclosure () -> String) -> Target? {
        switch node.shape {
        case .scalar:
            let s = node.scalar ?? ""
            if node.isNull {
                let field = name()
                sink.emit(.E005, "'\(field)' needs a target: a node name, repeat, back, top, hangup, or steps",
                          at: node.range)
                nodeIsMalformed = true
                return nil
            }
            if let builtin = Self.builtinTarget(node) { return .builtin(Located(builtin, node.range)) }
            return .node(Located(s, node.range))
        case .mapping, .sequence:
            let steps = buildStepList(node, context: "'\(name())'")
            return .inline(steps, node.range)
        }
    }

    mutating func buildSay(_ node: YAMLView) -> Say? {
        if node.scalar != nil {
            return interpolated(node, "say").map { Say(text: $0) }
        }
        guard let f = fields(of: node, in: "say", allowed: Self.sayFields),
              let textNode = f.require("text", &self, what: "'text'"),
              let text = interpolated(textNode, "text") else { return nil }
        var say = Say(text: text)
        say.voice = f["voice"].flatMap { locatedString($0, "voice") }
        say.language = f["language"].flatMap { languageTag($0, "language") }
        return say
    }

    mutating func buildPlay(_ node: YAMLView) -> Play? {
        if node.scalar != nil {
            return locatedString(node, "play").map { Play(file: $0) }
        }
        guard let f = fields(of: node, in: "play", allowed: Self.playFields),
              let fileNode = f.require("file", &self, what: "'file'"),
              let file = locatedString(fileNode, "file") else { return nil }
        var play = Play(file: file)
        play.transcript = f["transcript"].flatMap { locatedString($0, "transcript") }
        return play
    }

    mutating func buildSet(_ node: YAMLView) -> SetVariables? {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "'set' must be a mapping of variable names to values, found \(node.kindName)", at: node.range)
            return nil
        }
        var assignments: [SetVariables.Assignment] = []
        for pair in pairs {
            guard let name = variableName(pair.key, "set", settingBuiltins: true),
                  let value = interpolated(pair.value, name.value) else { continue }
            assignments.append(.init(name: name, value: value))
        }
        if assignments.isEmpty, pairs.isEmpty {
            sink.emit(.E004, "'set' names no variables", at: node.range)
        }
        return SetVariables(assignments: assignments)
    }
}
