import IVRSyntax

/// Builds the vertices and edges of one flow.
struct PhoneTreeBuilder {
    let flow: Flow
    /// The prefix of this flow's vertex ids (its name, unless taken).
    let key: String
    let index: FlowIndex
    /// Each flow's start vertex, by key.
    let starts: [String: String]
    var vertices: [PhoneTree.Vertex] = []
    var edges: [PhoneTree.Edge] = []
    private var anonymous = 0

    init(flow: Flow, key: String, index: FlowIndex, starts: [String: String]) {
        self.flow = flow
        self.key = key
        self.index = index
        self.starts = starts
    }

    var name: String { flow.name.value }
    func id(_ node: String) -> String { PhoneTree.id(key, node) }
    var endID: String { id("(end)") }

    mutating func build() {
        let entry = id("(entry)")
        add(entry, title: flow.extensionNumber.map { "call \($0.value)" } ?? "call", kind: .entry)
        if let start = starts[key] { edge(entry, start, nil) }
        for node in index.flow.nodes {
            add(id(node.name.value), title: node.name.value, steps: node.steps)
        }
        for node in index.flow.nodes {
            let vertex = id(node.name.value)
            walk(node.steps, from: vertex)
            if !node.steps.contains(where: \.alwaysJumps) {
                edges.append(.init(from: vertex, to: endID, label: nil, dashed: false, implicit: true))
            }
        }
        if edges.contains(where: { $0.to == endID }) { add(endID, title: "call ends", kind: .end) }
    }

    mutating func add(_ id: String, title: String, kind: PhoneTree.Kind, details: [String] = []) {
        guard !vertices.contains(where: { $0.id == id }) else { return }
        vertices.append(.init(id: id, flow: name, title: title, details: details, kind: kind))
    }

    mutating func add(_ id: String, title: String, steps: [Step]) {
        add(id, title: title, kind: PhoneTreeSummary.kind(of: steps), details: PhoneTreeSummary.details(of: steps))
    }

    mutating func edge(_ from: String, _ to: String, _ label: String?, dashed: Bool = false) {
        edges.append(.init(from: from, to: to, label: label, dashed: dashed))
    }

    /// The edges of a list of steps whose vertex is `from`.
    mutating func walk(_ steps: [Step], from: String) {
        for step in steps {
            var arms = 0
            var targets: [(TargetField, Target)] = []
            step.forEachTarget { targets.append(($0, $1)) }
            for (field, target) in targets where !(field == .onFail && Self.continuesInAnotherFlow(step)) {
                var label = PhoneTreeSummary.label(field)
                if case .branch(let b) = step.kind, field == .then, arms < b.arms.count {
                    label = "if " + PhoneTreeSummary.clip(b.arms[arms].source.value, 28)
                    arms += 1
                }
                follow(target, field: field, label: label, from: from)
            }
            defaults(of: step, from: from)
        }
    }

    /// Paths the language takes when a field is absent, and the edges no
    /// target field holds: dial-by-extension, `ivr:` transfers.
    private mutating func defaults(of step: Step, from: String) {
        switch step.kind {
        case .menu(let m):
            if m.onExhausted == nil { edge(from, endID, "exhausted", dashed: true) }
            if let dial = m.dialByExtension {
                let target = anonymousID(from)
                add(target, title: "dial-by-extension", kind: .transfer,
                    details: [PhoneTreeSummary.clip(dial.pattern.value, 28)])
                edge(from, target, "extension")
            }
        case .capture(let c):
            if c.onExhausted == nil { edge(from, endID, "exhausted", dashed: true) }
        case .transfer(let t):
            if t.destination.kind == .ivr {
                let other = t.destination.value.value.raw
                if let start = starts[other] {
                    edge(from, start, "ivr")
                } else {
                    let target = PhoneTree.id(other, "(entry)")
                    if !vertices.contains(where: { $0.id == target }) {
                        vertices.append(.init(id: target, flow: other, title: other, details: ["another flow"],
                                              kind: .external))
                    }
                    edge(from, target, "ivr")
                }
            }
            // An `ivr:` transfer goes on in the other flow: it never fails.
            if t.onFail == nil, t.destination.kind != .ivr { edge(from, endID, "on-fail", dashed: true) }
        case .webhook(let w):
            if w.onError == nil { edge(from, endID, "on-error", dashed: true) }
        default:
            break
        }
    }

    /// An `ivr:` transfer: the call goes on in another flow, so it has no
    /// `on-fail` path (one written is never taken).
    static func continuesInAnotherFlow(_ step: Step) -> Bool {
        guard case .transfer(let t) = step.kind else { return false }
        return t.destination.kind == .ivr
    }

    private mutating func anonymousID(_ parent: String) -> String {
        anonymous += 1
        return "\(parent)#\(anonymous)"
    }

    private mutating func follow(_ target: Target, field: TargetField, label: String?, from: String) {
        let dashed = PhoneTreeSummary.isExceptional(field)
        switch target {
        case .node(let node):
            let to = id(node.value)
            if flow.node(named: node.value) == nil {
                add(to, title: node.value, kind: .missing, details: ["no such node"])
            }
            edge(from, to, label, dashed: dashed)
        case .builtin(let builtin):
            switch builtin.value {
            case .hangup: edge(from, endID, label, dashed: dashed)
            case .repeat: edge(from, from, label.map { "\($0) (repeat)" } ?? "repeat", dashed: dashed)
            case .top: edge(from, starts[key] ?? endID, label.map { "\($0) (top)" } ?? "top", dashed: dashed)
            case .back:
                add(id("(back)"), title: "back", kind: .back, details: ["the previous menu"])
                edge(from, id("(back)"), label, dashed: dashed)
            }
        case .inline(let steps, _):
            let returns = field == .onInvalid || field == .onTimeout
            let jumps = steps.contains(where: \.alwaysJumps)
            var hasTargets = false
            for step in steps { step.forEachTarget { _, _ in hasTargets = true } }
            if returns, !jumps, !hasTargets {
                // A message, then the menu asks again: a loop on the menu itself.
                edge(from, from, label, dashed: true)
                return
            }
            let vertex = anonymousID(from)
            add(vertex, title: "", steps: steps)
            edge(from, vertex, label, dashed: dashed)
            walk(steps, from: vertex)
            guard !jumps else { return }
            if returns {
                edge(vertex, from, "retry", dashed: true)
            } else if field == .then || field == .otherwise {
                edge(vertex, from, "continue", dashed: true)
            } else {
                edges.append(.init(from: vertex, to: endID, label: nil, dashed: false, implicit: true))
            }
        }
    }
}
