/// A Twilio Studio flow definition (`states` of widgets with `transitions`)
/// as one flow: each widget a node named after it, the `trigger`'s
/// `incomingCall` transition the start.
///
/// A `gather-input-on-call` whose `keypress` goes to a `split-based-on` of
/// its single digit becomes one `menu`; other gathers become a `capture`.
/// `say-play`, `connect-call-to`, `make-http-request` (and `run-function`)
/// as `webhook`, `set-variables`, `record-voicemail`, `enqueue-call` map to
/// steps; any other widget is a marked node. A transition with no `next`
/// ends the call, as in Studio.
struct StudioImporter {
    let text: String

    /// One widget as read.
    struct Widget {
        var name: String
        var type: String
        var node: String
        var json: PositionedJSON
        /// event -> the state it goes to (the first of several `match` transitions).
        var next: [String: String] = [:]
        /// Every state a transition goes to, in written order.
        var targets: [String] = []
        var properties: PositionedJSON?

        var line: Int { json.line }
        func property(_ key: String) -> PositionedJSON? { properties?[key] }
    }

    func draft() throws(ImportError) -> FlowDraft {
        let root = try PositionedJSONReader.parse(text)
        guard root.isObject, let states = root["states"]?.array else {
            throw ImportError(line: root.line, column: root.column,
                              "not a Twilio Studio flow: expected an object with a 'states' list")
        }
        var names = NodeNames()
        var widgets: [Widget] = []
        var seen: Set<String> = []
        for state in states {
            guard state.isObject, let name = state["name"]?.string, !name.isEmpty else {
                throw ImportError(line: state.line, column: state.column, "a state needs a 'name' string")
            }
            guard let type = state["type"]?.string else {
                throw ImportError(line: state.line, column: state.column, "state '\(name)' needs a 'type' string")
            }
            guard seen.insert(name).inserted else {
                throw ImportError(line: state.line, column: state.column, "a second state named '\(name)'")
            }
            var widget = Widget(name: name, type: type, node: type == "trigger" ? "" : names.claim(name), json: state,
                                properties: state["properties"])
            for transition in state["transitions"]?.array ?? [] {
                guard let event = transition["event"]?.string else {
                    throw ImportError(line: transition.line, column: transition.column, "a transition needs an 'event'")
                }
                if let next = transition["next"]?.string, !next.isEmpty {
                    if widget.next[event] == nil { widget.next[event] = next }
                    widget.targets.append(next)
                }
            }
            widgets.append(widget)
        }
        // Every transition names a state of the flow.
        for state in states {
            for transition in state["transitions"]?.array ?? [] {
                if let next = transition["next"]?.string, !next.isEmpty, !seen.contains(next) {
                    let at = transition["next"] ?? transition
                    throw ImportError(line: at.line, column: at.column, "transition to '\(next)', which names no state")
                }
            }
        }
        let initial = root["initial_state"]?.string ?? "Trigger"
        guard let trigger = widgets.first(where: { $0.name == initial }) ?? widgets.first(where: { $0.type == "trigger" }) else {
            throw ImportError(line: root.line, column: root.column, "the flow has no trigger state ('\(initial)')")
        }
        guard let start = trigger.next["incomingCall"] else {
            throw ImportError(line: trigger.line, column: trigger.json.column,
                              "the trigger has no incomingCall transition: the flow does not answer calls")
        }
        let flowName = NodeNames.flowName(root["description"]?.string, fallback: "studio-flow")
        var draft = FlowDraft(name: flowName)
        draft.header = ["Imported by `ivrc import studio`: each widget is a node named after it."]
        if let description = root["description"]?.string { draft.description = description }
        var mapper = StudioWidgetMapper(widgets: widgets)
        draft.start = mapper.nodeName(start)
        // Nodes in the order a caller reaches them, then the rest.
        for widget in mapper.reachableOrder(from: start) where !mapper.folded.contains(widget.name) {
            let (value, comments) = try mapper.map(widget, draft: &draft)
            draft.addNode(widget.node, value, comments: comments)
        }
        return draft
    }
}
