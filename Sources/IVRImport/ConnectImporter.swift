/// An Amazon Connect contact flow in the flow language (`Actions` with
/// `Transitions`, `StartAction`) as one flow: each action a node named
/// after its `Identifier` (or its type, for generated identifiers).
///
/// `MessageParticipant` says or plays; `GetParticipantInput` is a menu
/// (its `Conditions` the options) or, with `StoreInput`, a capture into
/// `stored_input`; `Compare` is a branch; `CheckHoursOfOperation` a branch
/// on `open()` of a schedule to fill in; `TransferParticipantToThirdParty`
/// a transfer; `InvokeLambdaFunction` a webhook into `external`;
/// `UpdateContactAttributes` a `set`; `DisconnectParticipant` a hangup.
struct ConnectImporter {
    let text: String

    /// One action as read.
    struct Action {
        var id: String
        var type: String
        var node: String
        var json: PositionedJSON

        var line: Int { json.line }
        var parameters: PositionedJSON? { json["Parameters"] }
        var transitions: PositionedJSON? { json["Transitions"] }
        func parameter(_ key: String) -> PositionedJSON? { parameters?[key] }

        /// `Transitions.NextAction`.
        var next: String? { transitions?["NextAction"]?.string }

        /// The target of the error of this type.
        func onError(_ type: String) -> String? {
            transitions?["Errors"]?.array?.first { $0["ErrorType"]?.string == type }?["NextAction"]?.string
        }

        /// `Transitions.Conditions`: operator, operands, target, line.
        var conditions: [(op: String, operands: [String], next: String?, line: Int)] {
            (transitions?["Conditions"]?.array ?? []).map { c in
                (c["Condition"]?["Operator"]?.string ?? "",
                 (c["Condition"]?["Operands"]?.array ?? []).compactMap(\.text),
                 c["NextAction"]?.string, c.line)
            }
        }

        /// Every action a transition names, with the JSON value naming it.
        var references: [PositionedJSON] {
            var out: [PositionedJSON] = []
            if let n = transitions?["NextAction"] { out.append(n) }
            for c in transitions?["Conditions"]?.array ?? [] { if let n = c["NextAction"] { out.append(n) } }
            for e in transitions?["Errors"]?.array ?? [] { if let n = e["NextAction"] { out.append(n) } }
            return out
        }
    }

    func draft() throws(ImportError) -> FlowDraft {
        let root = try PositionedJSONReader.parse(text)
        guard root.isObject, let list = root["Actions"]?.array else {
            throw ImportError(line: root.line, column: root.column,
                              "not an Amazon Connect flow: expected an object with an 'Actions' list (the flow language)")
        }
        var names = NodeNames()
        var actions: [Action] = []
        var ids: Set<String> = []
        for item in list {
            guard item.isObject, let id = item["Identifier"]?.string, !id.isEmpty else {
                throw ImportError(line: item.line, column: item.column, "an action needs an 'Identifier' string")
            }
            guard let type = item["Type"]?.string, !type.isEmpty else {
                throw ImportError(line: item.line, column: item.column, "action '\(id)' needs a 'Type' string")
            }
            guard ids.insert(id).inserted else {
                throw ImportError(line: item.line, column: item.column, "a second action with the Identifier '\(id)'")
            }
            actions.append(Action(id: id, type: type, node: names.claim(Self.looksGenerated(id) ? Self.kebab(type) : id), json: item))
        }
        for action in actions {
            for ref in action.references {
                guard let id = ref.string else {
                    throw ImportError(line: ref.line, column: ref.column, "NextAction must be a string, found \(ref.kindName)")
                }
                if !ids.contains(id) {
                    throw ImportError(line: ref.line, column: ref.column, "transition to '\(id)', which names no action")
                }
            }
        }
        guard let startValue = root["StartAction"], let start = startValue.string else {
            throw ImportError(line: root.line, column: root.column, "the flow has no 'StartAction'")
        }
        guard ids.contains(start) else {
            throw ImportError(line: startValue.line, column: startValue.column, "StartAction '\(start)' names no action")
        }
        let title = root["Metadata"]?["name"]?.string
        var draft = FlowDraft(name: NodeNames.flowName(title, fallback: "connect-flow"))
        draft.description = title
        draft.header = ["Imported by `ivrc import connect`: each action is a node named after its Identifier."]
        var mapper = ConnectActionMapper(actions: actions)
        draft.start = mapper.node(start)
        for action in mapper.reachableOrder(from: start) {
            let (value, comments) = mapper.map(action, draft: &draft)
            draft.addNode(action.node, value, comments: comments)
        }
        if !mapper.hours.isEmpty {
            let schedules = mapper.hours.map { YAMLEntry($0.name, .map([("timezone", .scalar("UTC")), ("mon-fri", .quoted("09:00-17:00"))])) }
            draft.fields.append(YAMLEntry("hours", .mapping(schedules), comments: [
                "PLACEHOLDER hours: Amazon Connect keeps them in its hours of operation; write the real ones here.",
            ]))
        }
        return draft
    }

    /// A UUID or ARN rather than a name a person chose.
    static func looksGenerated(_ id: String) -> Bool {
        id.hasPrefix("arn:") || (id.count >= 32 && id.filter { $0 == "-" }.count >= 4)
    }

    /// `GetParticipantInput` -> `get-participant-input`.
    static func kebab(_ type: String) -> String {
        var out = ""
        for c in type {
            if c.isUppercase, !out.isEmpty { out += "-" }
            out += c.lowercased()
        }
        return out
    }
}
