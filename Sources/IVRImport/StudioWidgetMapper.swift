import Foundation
import IVRSyntax

/// Studio widgets as nodes (see `StudioImporter`).
struct StudioWidgetMapper {
    let widgets: [StudioImporter.Widget]
    let byName: [String: StudioImporter.Widget]
    /// Splits that became the options of the gather before them.
    private(set) var folded: Set<String> = []

    init(widgets: [StudioImporter.Widget]) {
        self.widgets = widgets
        byName = Dictionary(widgets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var references: [String: Int] = [:]
        for w in widgets { for next in w.targets { references[next, default: 0] += 1 } }
        for w in widgets where w.type == "gather-input-on-call" {
            if let split = menuSplit(of: w), references[split.name] == 1 { folded.insert(split.name) }
        }
    }

    func nodeName(_ state: String) -> String { byName[state]?.node ?? "hangup" }

    /// A transition's target: the node, or `hangup` when the event goes nowhere (Studio ends the flow).
    func target(_ widget: StudioImporter.Widget, _ event: String) -> YAMLValue {
        .scalar(widget.next[event].map(nodeName) ?? "hangup")
    }

    /// Widgets reachable from `start` in breadth-first order, then the others (W207 in check).
    func reachableOrder(from start: String) -> [StudioImporter.Widget] {
        var order: [String] = []
        var queue = [start]
        var seen: Set<String> = [start]
        while !queue.isEmpty {
            let name = queue.removeFirst()
            order.append(name)
            guard let w = byName[name] else { continue }
            for n in w.targets where seen.insert(n).inserted {
                // A split folded into its gather's menu: its targets come right after the menu.
                if folded.contains(n), let split = byName[n] {
                    order.append(n)
                    for m in split.targets where seen.insert(m).inserted { queue.append(m) }
                } else {
                    queue.append(n)
                }
            }
        }
        let rest = widgets.filter { $0.type != "trigger" && !seen.contains($0.name) }.map(\.name)
        return (order + rest).compactMap { byName[$0] }
    }

    /// The split after a gather that switches on its one digit with `equal_to` single keys.
    func menuSplit(of gather: StudioImporter.Widget) -> StudioImporter.Widget? {
        guard let next = gather.next["keypress"], let split = byName[next], split.type == "split-based-on" else { return nil }
        let digits = gather.property("number_of_digits")?.int ?? 1
        guard digits == 1 else { return nil }
        let input = split.property("input")?.string?.replacingOccurrences(of: " ", with: "") ?? ""
        guard input == "{{widgets.\(gather.name).Digits}}" else { return nil }
        let conditions = matchTransitions(split).flatMap { $0.conditions }
        return conditions.allSatisfy { $0.type == "equal_to" && DTMFKeyCheck.isKey($0.value) } && !conditions.isEmpty ? split : nil
    }

    struct Condition { var type: String; var value: String; var line: Int }
    struct Match { var next: String?; var conditions: [Condition]; var line: Int }

    /// A split's `match` transitions and their conditions.
    func matchTransitions(_ split: StudioImporter.Widget) -> [Match] {
        (split.json["transitions"]?.array ?? []).filter { $0["event"]?.string == "match" }.map { t in
            let conditions = (t["conditions"]?.array ?? []).map {
                Condition(type: $0["type"]?.string ?? "", value: $0["value"]?.text ?? "", line: $0.line)
            }
            return Match(next: t["next"]?.string, conditions: conditions, line: t.line)
        }
    }

    mutating func map(_ w: StudioImporter.Widget, draft: inout FlowDraft) throws(ImportError) -> (YAMLValue, [String]) {
        let source = "Studio \(w.type) '\(w.name)' (line \(w.line))."
        switch w.type {
        case "say-play":
            var steps = media(w, draft: &draft)
            if steps.isEmpty { draft.warn(w.line, "say-play '\(w.name)' has neither say nor play") }
            if w.property("digits")?.text.map({ !$0.isEmpty }) == true {
                draft.warn(w.line, "say-play '\(w.name)' sends digits, which ivrc does not; they are left out")
            }
            steps.append(jump(target(w, "audioComplete")))
            return (.list(steps), [source])
        case "gather-input-on-call":
            return (gather(w, draft: &draft), [source])
        case "split-based-on":
            return (StudioConditions.branch(w, mapper: self, draft: &draft), [source])
        case "connect-call-to":
            return (connect(w, draft: &draft), [source])
        case "make-http-request", "run-function":
            return (webhook(w, draft: &draft), [source])
        case "set-variables":
            var set: [YAMLEntry] = []
            for v in w.property("variables")?.array ?? [] {
                guard let key = v["key"]?.text else { continue }
                let value = LiquidTemplates.text(v["value"]?.text ?? "", what: "set-variables '\(w.name)'", line: v.line, into: &draft)
                set.append(YAMLEntry(LiquidTemplates.variableName(key), .scalar(value)))
            }
            var steps: [YAMLValue] = set.isEmpty ? [] : [.step("set", .uniqueMapping(set))]
            steps.append(jump(target(w, "next")))
            return (.list(steps), [source])
        case "record-voicemail":
            var fields: [YAMLEntry] = [YAMLEntry("into", .scalar(LiquidTemplates.variableName(w.name) + "_recording"))]
            if let max = w.property("max_length")?.int {
                fields.append(YAMLEntry("max", ImportDurations.text(milliseconds: max * 1000, DurationLimits.recordMax,
                                                                    field: "max_length", line: w.line, into: &draft)))
            }
            if let beep = w.property("play_beep")?.bool { fields.append(YAMLEntry("beep", .plain(beep ? "true" : "false"))) }
            if let key = w.property("finish_on_key")?.text, !key.isEmpty { fields.append(YAMLEntry("finish-on", .quoted(key))) }
            if let silence = w.property("timeout")?.int, silence > 0 {
                fields.append(YAMLEntry("silence", ImportDurations.text(milliseconds: silence * 1000, DurationLimits.recordSilence,
                                                                        field: "timeout", line: w.line, into: &draft)))
            }
            if w.property("transcribe")?.bool == true {
                draft.warn(w.line, "record-voicemail '\(w.name)' transcribes; ivrc records only")
            }
            return (.list([.step("record", .mapping(fields)), jump(target(w, "recordingComplete"))]), [source])
        case "enqueue-call":
            let queue = w.property("queue_name")?.text ?? ""
            if w.property("workflow_sid")?.text.map({ !$0.isEmpty }) == true {
                draft.warn(w.line, "enqueue-call '\(w.name)' routes through a TaskRouter workflow; here it is the group '\(NodeNames.normalize(queue))'")
            }
            var fields = [YAMLEntry("group", .scalar(NodeNames.normalize(queue.isEmpty ? w.name : queue)))]
            if w.next["failedToEnqueue"] != nil { fields.append(YAMLEntry("on-fail", target(w, "failedToEnqueue"))) }
            return (.step("transfer", .mapping(fields)), [source])
        default:
            draft.warn(w.line, "the \(w.type) widget '\(w.name)' has no ivrc equivalent; node '\(w.node)' marks it")
            return (.list([.scalar("hangup")]), [
                "NOT IMPORTED: Studio \(w.type) widget '\(w.name)' (line \(w.line)).",
                "Replace this node with what the widget does.",
            ])
        }
    }

    /// `goto: X`, or the plain `hangup` step.
    func jump(_ target: YAMLValue) -> YAMLValue {
        target == .scalar("hangup") ? .scalar("hangup") : .step("goto", target)
    }

    /// `say` (with `voice` and `language`) or `play`, `loop` times.
    func media(_ w: StudioImporter.Widget, draft: inout FlowDraft) -> [YAMLValue] {
        var steps: [YAMLValue] = []
        if let say = w.property("say")?.text, !say.isEmpty {
            let text = LiquidTemplates.text(say, what: "\(w.type) '\(w.name)'", line: w.line, into: &draft)
            var fields = [YAMLEntry("text", .scalar(text))]
            if let voice = w.property("voice")?.text, !voice.isEmpty { fields.append(YAMLEntry("voice", .scalar(voice))) }
            if let language = w.property("language")?.text, !language.isEmpty { fields.append(YAMLEntry("language", .scalar(language))) }
            steps.append(.step("say", fields.count == 1 ? .scalar(text) : .mapping(fields)))
        } else if let play = w.property("play")?.text, !play.isEmpty {
            let url = LiquidTemplates.text(play, what: "\(w.type) '\(w.name)'", line: w.line, into: &draft)
            steps.append(.step("play", .scalar(url)))
        }
        let loop = min(max(w.property("loop")?.int ?? 1, 1), 10)
        return Array(repeating: steps, count: loop).flatMap { $0 }
    }

    /// A gather and the split after it as one menu, else a capture.
    func gather(_ w: StudioImporter.Widget, draft: inout FlowDraft) -> YAMLValue {
        var fields: [YAMLEntry] = []
        if let prompt = FreeSWITCHSounds.prompt(media(w, draft: &draft)) { fields.append(YAMLEntry("prompt", prompt)) }
        let seconds = w.property("timeout")?.int ?? 5
        let timeout = ImportDurations.text(milliseconds: seconds * 1000, DurationLimits.keyTimeout, field: "timeout",
                                           line: w.line, into: &draft)
        if w.property("input_type")?.text == "speech" || w.next["speech"] != nil {
            draft.warn(w.line, "gather '\(w.name)' listens for speech; ivrc takes keys only")
        }
        if let split = menuSplit(of: w), folded.contains(split.name) {
            var options: [YAMLEntry] = []
            for match in matchTransitions(split) {
                for c in match.conditions where !options.contains(where: { $0.key == c.value }) {
                    options.append(YAMLEntry(c.value, .scalar(match.next.map(nodeName) ?? "hangup")))
                }
            }
            fields.append(YAMLEntry("options", .mapping(options)))
            fields.append(YAMLEntry("timeout", timeout))
            fields.append(YAMLEntry("attempts", .plain("1")))
            if split.next["noMatch"] != nil { fields.append(YAMLEntry("on-invalid", target(split, "noMatch"))) }
            if w.next["timeout"] != nil { fields.append(YAMLEntry("on-timeout", target(w, "timeout"))) }
            return .step("menu", .mapping(fields))
        }
        fields.append(YAMLEntry("into", .scalar(LiquidTemplates.digitsVariable(w.name))))
        if let n = w.property("number_of_digits")?.int, n > 0 { fields.append(YAMLEntry("max", .plain("\(min(n, 32))"))) }
        if let key = w.property("finish_on_key")?.text {
            fields.append(YAMLEntry("terminator", key.isEmpty ? .scalar("none") : .quoted(key)))
        }
        fields.append(YAMLEntry("timeout", timeout))
        fields.append(YAMLEntry("attempts", .plain("1")))
        if w.next["timeout"] != nil { fields.append(YAMLEntry("on-timeout", target(w, "timeout"))) }
        return .list([.step("capture", .mapping(fields)), jump(target(w, "keypress"))])
    }

    /// `connect-call-to`: a number, SIP address, conference or client as a transfer.
    func connect(_ w: StudioImporter.Widget, draft: inout FlowDraft) -> YAMLValue {
        let noun = w.property("noun")?.text ?? "number"
        let to = LiquidTemplates.text(w.property("to")?.text ?? w.property("sip_endpoint")?.text ?? "",
                                      what: "connect-call-to '\(w.name)'", line: w.line, into: &draft)
        var fields: [YAMLEntry]
        switch noun {
        case "number", "number-multi":
            let first = to.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? to
            if noun == "number-multi" { draft.warn(w.line, "connect-call-to '\(w.name)' rings several numbers; only the first is kept") }
            fields = [YAMLEntry("number", .quoted(first))]
        case "sip":
            fields = [YAMLEntry("sip", .quoted(to))]
        case "conference":
            fields = [YAMLEntry("conference", .quoted(to))]
        default:
            draft.warn(w.line, "connect-call-to '\(w.name)' connects a \(noun); here it is the platform application '\(NodeNames.normalize(to))'")
            fields = [YAMLEntry("app", .scalar(NodeNames.normalize(to)))]
        }
        if let seconds = w.property("timeout")?.int {
            fields.append(YAMLEntry("timeout", ImportDurations.text(milliseconds: seconds * 1000, DurationLimits.ringTimeout,
                                                                    field: "timeout", line: w.line, into: &draft)))
        }
        if w.property("record")?.bool == true {
            draft.warn(w.line, "connect-call-to '\(w.name)' records the call; add via: bridge and record: true in ivrc")
        }
        if w.next["callCompleted"] != nil { fields.append(YAMLEntry("on-fail", target(w, "callCompleted"))) }
        return .step("transfer", .mapping(fields))
    }

    /// `make-http-request` (and a Function's URL) as a webhook into a variable named after the widget.
    func webhook(_ w: StudioImporter.Widget, draft: inout FlowDraft) -> YAMLValue {
        let url = LiquidTemplates.text(w.property("url")?.text ?? "", what: "\(w.type) '\(w.name)'", line: w.line, into: &draft)
        let method = (w.property("method")?.text ?? (w.type == "run-function" ? "POST" : "GET")).uppercased()
        var fields = [YAMLEntry("url", .scalar(url)), YAMLEntry("method", .scalar(method == "GET" ? "GET" : "POST"))]
        if method != "GET" && method != "POST" { draft.warn(w.line, "\(w.type) '\(w.name)' uses \(method); ivrc sends POST") }
        var body: [YAMLEntry] = []
        for p in w.property("parameters")?.array ?? [] {
            guard let key = p["key"]?.text else { continue }
            body.append(YAMLEntry(key, .scalar(LiquidTemplates.text(p["value"]?.text ?? "", what: "\(w.type) '\(w.name)'",
                                                                      line: p.line, into: &draft))))
        }
        if let text = w.property("body")?.text, !text.isEmpty {
            if let object = try? PositionedJSONReader.parse(text), object.isObject {
                for (key, value) in object.pairs {
                    body.append(YAMLEntry(key, .scalar(LiquidTemplates.text(value.text ?? "", what: "\(w.type) '\(w.name)'",
                                                                              line: w.line, into: &draft))))
                }
            } else {
                draft.warn(w.line, "\(w.type) '\(w.name)' sends a body that is not a JSON object; it is left out")
            }
        }
        if !body.isEmpty, method != "GET" { fields.append(YAMLEntry("body", .uniqueMapping(body))) }
        fields.append(YAMLEntry("into", .scalar(LiquidTemplates.variableName(w.name))))
        fields.append(YAMLEntry("on-error", target(w, w.type == "run-function" ? "fail" : "failed")))
        if w.type == "run-function" {
            draft.warn(w.line, "run-function '\(w.name)': the Function's code stays on Twilio; the flow calls its URL as a webhook")
        }
        return .list([.step("webhook", .mapping(fields)), jump(target(w, "success"))])
    }
}
