import Foundation
import IVRSyntax

/// Amazon Connect actions as nodes (see `ConnectImporter`).
struct ConnectActionMapper {
    let actions: [ConnectImporter.Action]
    let byID: [String: ConnectImporter.Action]
    /// Hours of operation met on the way: id -> schedule name.
    private(set) var hours: [(id: String, name: String)] = []

    init(actions: [ConnectImporter.Action]) {
        self.actions = actions
        byID = Dictionary(actions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func node(_ id: String) -> String { byID[id]?.node ?? "hangup" }

    /// A transition's target; none ends the call.
    func target(_ id: String?) -> YAMLValue { .scalar(id.map(node) ?? "hangup") }

    func jump(_ id: String?) -> YAMLValue {
        guard let id else { return .scalar("hangup") }
        return .step("goto", .scalar(node(id)))
    }

    /// Actions reachable from the start, breadth first, then the others.
    func reachableOrder(from start: String) -> [ConnectImporter.Action] {
        var order: [String] = []
        var queue = [start]
        var seen: Set<String> = [start]
        while !queue.isEmpty {
            let id = queue.removeFirst()
            order.append(id)
            for ref in byID[id]?.references ?? [] {
                if let n = ref.string, seen.insert(n).inserted { queue.append(n) }
            }
        }
        return (order + actions.map(\.id).filter { !seen.contains($0) }).compactMap { byID[$0] }
    }

    mutating func map(_ a: ConnectImporter.Action, draft: inout FlowDraft) -> (YAMLValue, [String]) {
        let source = "Amazon Connect \(a.type) '\(a.id)' (line \(a.line))."
        switch a.type {
        case "MessageParticipant":
            return (.list(media(a, draft: &draft) + [jump(a.next)]), [source])
        case "GetParticipantInput":
            return (input(a, draft: &draft), [source])
        case "Compare":
            let value = a.parameter("ComparisonValue")?.text ?? ""
            guard let variable = Self.variable(value) else {
                draft.warn(a.line, "Compare '\(a.id)' compares '\(value)', which is not a variable ivrc has; its conditions are false")
                return (branch(a, variable: nil, draft: &draft), [source])
            }
            return (branch(a, variable: variable, draft: &draft), [source])
        case "CheckHoursOfOperation":
            let id = a.parameter("HoursOfOperationId")?.text ?? "hours"
            let name: String
            if let known = hours.first(where: { $0.id == id }) {
                name = known.name
            } else {
                name = hours.isEmpty ? "business-hours" : "business-hours-\(hours.count + 1)"
                hours.append((id, name))
                draft.warn(a.line, "CheckHoursOfOperation '\(a.id)': the hours live in Amazon Connect; "
                               + "fill in the schedule '\(name)' (a placeholder, mon-fri 09:00-17:00 UTC)")
            }
            let open = a.conditions.first { $0.operands.first?.lowercased() == "true" }?.next
            let closed = a.conditions.first { $0.operands.first?.lowercased() == "false" }?.next
            return (.step("branch", .list([
                .map([("if", .scalar("open(\"\(name)\")")), ("then", target(open))]),
                .map([("else", target(closed))]),
            ])), [source])
        case "TransferParticipantToThirdParty":
            let number = a.parameter("ThirdPartyPhoneNumber")?.text ?? ""
            var fields = [YAMLEntry("number", .quoted(Self.interpolate(number, what: "transfer '\(a.id)'", line: a.line, into: &draft)))]
            if let seconds = a.parameter("ThirdPartyConnectionTimeLimitSeconds")?.int {
                fields.append(YAMLEntry("timeout", ImportDurations.text(milliseconds: seconds * 1000, DurationLimits.ringTimeout,
                                                                        field: "ThirdPartyConnectionTimeLimitSeconds", line: a.line, into: &draft)))
            }
            if let failed = a.onError("CallFailed") ?? a.onError("ConnectionTimeLimitExceeded") ?? a.onError("NoMatchingError") {
                fields.append(YAMLEntry("on-fail", target(failed)))
            }
            if a.parameter("ContinueFlowExecution")?.bool == true, a.next != nil {
                draft.warn(a.line, "transfer '\(a.id)' continues the flow after the call in Amazon Connect; an ivrc transfer ends it")
            }
            return (.step("transfer", .mapping(fields)), [source])
        case "InvokeLambdaFunction":
            let arn = a.parameter("LambdaFunctionARN")?.text ?? ""
            let function = arn.split(separator: ":").last.map(String.init) ?? "function"
            let url = "https://lambda.example/" + NodeNames.normalize(function)
            draft.warn(a.line, "InvokeLambdaFunction '\(a.id)': the Lambda's logic stays in AWS; the flow calls "
                           + "\(url) as a webhook: put the function's URL there")
            var fields = [YAMLEntry("url", .scalar(url)),
                          YAMLEntry("method", .scalar("POST"))]
            if let seconds = a.parameter("InvocationTimeLimitSeconds")?.int {
                fields.append(YAMLEntry("timeout", ImportDurations.text(milliseconds: seconds * 1000, DurationLimits.webhookTimeout,
                                                                        field: "InvocationTimeLimitSeconds", line: a.line, into: &draft)))
            }
            fields.append(YAMLEntry("into", .scalar("external")))
            fields.append(YAMLEntry("on-error", target(a.onError("NoMatchingError"))))
            return (.list([.step("webhook", .mapping(fields)), jump(a.next)]), [
                source, "The Lambda function \(arn): its answer is read as external.FIELD ($.External.FIELD).",
            ])
        case "UpdateContactAttributes":
            var set: [YAMLEntry] = []
            for (key, value) in a.parameter("Attributes")?.pairs ?? [] {
                let text = Self.interpolate(value.text ?? "", what: "UpdateContactAttributes '\(a.id)'", line: value.line, into: &draft)
                set.append(YAMLEntry(LiquidTemplates.variableName(key), .scalar(text)))
            }
            return (.list((set.isEmpty ? [] : [.step("set", .uniqueMapping(set))]) + [jump(a.next)]), [source])
        case "DisconnectParticipant", "EndFlowExecution":
            return (.list([.scalar("hangup")]), [source])
        default:
            draft.warn(a.line, "the \(a.type) action '\(a.id)' has no ivrc equivalent; node '\(a.node)' marks it")
            return (.list([.scalar("hangup")]), [
                "NOT IMPORTED: Amazon Connect \(a.type) action '\(a.id)' (line \(a.line)).",
                "Replace this node with what the action does.",
            ])
        }
    }

    /// `Text` (with `$.` references), `SSML` (tags dropped) or `PromptId` (a recording to export).
    func media(_ a: ConnectImporter.Action, draft: inout FlowDraft) -> [YAMLValue] {
        if let text = a.parameter("Text")?.text {
            return [.step("say", .scalar(Self.interpolate(text, what: "\(a.type) '\(a.id)'", line: a.line, into: &draft)))]
        }
        if let ssml = a.parameter("SSML")?.text {
            draft.warn(a.line, "\(a.type) '\(a.id)' speaks SSML; ivrc says its text without the markup")
            let text = ssml.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return [.step("say", .scalar(Self.interpolate(text, what: "\(a.type) '\(a.id)'", line: a.line, into: &draft)))]
        }
        if let prompt = a.parameter("PromptId")?.text {
            let name = NodeNames.normalize(prompt.split(separator: "/").last.map(String.init) ?? prompt)
            draft.warn(a.line, "\(a.type) '\(a.id)' plays a prompt stored in Amazon Connect; export it to prompts/\(name).wav")
            return [.step("play", .scalar("prompts/\(name).wav"))]
        }
        return []
    }

    /// A menu when the input goes by its conditions, else a capture into `stored_input`.
    func input(_ a: ConnectImporter.Action, draft: inout FlowDraft) -> YAMLValue {
        var fields: [YAMLEntry] = []
        if let prompt = FreeSWITCHSounds.prompt(media(a, draft: &draft)) { fields.append(YAMLEntry("prompt", prompt)) }
        let seconds = a.parameter("InputTimeLimitSeconds")?.int ?? 5
        let timeout = ImportDurations.text(milliseconds: seconds * 1000, DurationLimits.keyTimeout, field: "InputTimeLimitSeconds",
                                           line: a.line, into: &draft)
        if a.parameter("StoreInput")?.bool == true {
            fields.append(YAMLEntry("into", .scalar("stored_input")))
            if let length = a.parameter("InputValidation")?["CustomValidation"]?["MaximumLength"]?.int {
                fields.append(YAMLEntry("max", .plain("\(min(max(length, 1), 32))")))
            }
            if let terminator = a.parameter("DTMFConfiguration")?["InputTerminatorSequence"]?.text, !terminator.isEmpty {
                fields.append(YAMLEntry("terminator", .quoted(terminator)))
            }
            fields.append(YAMLEntry("timeout", timeout))
            fields.append(YAMLEntry("attempts", .plain("1")))
            if let t = a.onError("InputTimeLimitExceeded") { fields.append(YAMLEntry("on-timeout", target(t))) }
            // No digits, or digits that fail validation, take the error branch.
            if let e = a.onError("NoMatchingError") { fields.append(YAMLEntry("on-exhausted", target(e))) }
            return .list([.step("capture", .mapping(fields)), jump(a.next)])
        }
        var options: [YAMLEntry] = []
        for c in a.conditions {
            guard c.op == "Equals", let key = c.operands.first, DTMFKeyCheck.isKey(key) else {
                draft.warn(c.line, "GetParticipantInput '\(a.id)': the condition \(c.op) \(c.operands) is not one key; it is left out")
                continue
            }
            if !options.contains(where: { $0.key == key }) { options.append(YAMLEntry(key, target(c.next))) }
        }
        fields.append(YAMLEntry("options", .mapping(options)))
        fields.append(YAMLEntry("timeout", timeout))
        fields.append(YAMLEntry("attempts", .plain("1")))
        if let invalid = a.onError("NoMatchingCondition") { fields.append(YAMLEntry("on-invalid", target(invalid))) }
        if let silence = a.onError("InputTimeLimitExceeded") { fields.append(YAMLEntry("on-timeout", target(silence))) }
        return .step("menu", .mapping(fields))
    }

    /// `Compare`: each condition an arm, `NoMatchingCondition` the else.
    func branch(_ a: ConnectImporter.Action, variable: String?, draft: inout FlowDraft) -> YAMLValue {
        var arms: [YAMLValue] = []
        for c in a.conditions {
            var expression = "false"
            if let v = variable, let operand = c.operands.first, !operand.contains("\""), !operand.contains("\\") {
                let isNumber = Double(operand) != nil
                switch c.op {
                case "Equals": expression = "\(v) == \"\(operand)\""
                case "NumberLessThan" where isNumber: expression = "num(\(v)) < \(operand)"
                case "NumberLessOrEqualTo" where isNumber: expression = "num(\(v)) <= \(operand)"
                case "NumberGreaterThan" where isNumber: expression = "num(\(v)) > \(operand)"
                case "NumberGreaterOrEqualTo" where isNumber: expression = "num(\(v)) >= \(operand)"
                case "TextStartsWith": expression = "starts_with(\(v), \"\(operand)\")"
                default:
                    draft.warn(c.line, "Compare '\(a.id)': the operator \(c.op) has no ivrc expression; the condition is false")
                }
            }
            arms.append(.map([("if", .scalar(expression)), ("then", target(c.next))]))
        }
        arms.append(.map([("else", target(a.onError("NoMatchingCondition") ?? a.next))]))
        return .step("branch", .list(arms))
    }

    /// `$.Attributes.x` -> `x`, `$.External.x` -> `external.x`, `$.StoredCustomerInput` -> `stored_input`,
    /// `$.CustomerEndpoint.Address` -> `caller`, `$.SystemEndpoint.Address` -> `called`.
    static func variable(_ reference: String) -> String? {
        let parts = reference.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "$", parts.count >= 2 else { return nil }
        switch parts[1] {
        case "StoredCustomerInput" where parts.count == 2: return "stored_input"
        case "Attributes" where parts.count == 3: return LiquidTemplates.variableName(parts[2])
        case "External" where parts.count >= 3: return (["external"] + parts[2...].map(LiquidTemplates.variableName)).joined(separator: ".")
        case "CustomerEndpoint" where parts.count == 3 && parts[2] == "Address": return "caller"
        case "SystemEndpoint" where parts.count == 3 && parts[2] == "Address": return "called"
        default: return nil
        }
    }

    /// Text with each `$.Path.To.Value` that names a variable as `${...}`; the others kept, with a warning.
    static func interpolate(_ text: String, what: String, line: Int, into draft: inout FlowDraft) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: #"\$\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"#, options: .regularExpression) {
            out += rest[..<range.lowerBound]
            let reference = String(rest[range])
            if let v = variable(reference) {
                out += "${" + v + "}"
            } else {
                draft.warn(line, "\(what): '\(reference)' has no ivrc variable; it is kept as text")
                out += reference
            }
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
