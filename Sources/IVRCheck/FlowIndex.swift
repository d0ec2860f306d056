import IVRSyntax

/// Which field of a step holds a target.
public enum TargetField: Sendable, Equatable, CustomStringConvertible {
    case option(String)
    case onInvalid, onTimeout, onExhausted, then, otherwise, goto, onFail, onError

    public var description: String {
        switch self {
        case .option(let key): "option '\(key)'"
        case .onInvalid: "on-invalid"
        case .onTimeout: "on-timeout"
        case .onExhausted: "on-exhausted"
        case .then: "then"
        case .otherwise: "else"
        case .goto: "goto"
        case .onFail: "on-fail"
        case .onError: "on-error"
        }
    }
}

/// Every step, target and step list of a flow, gathered in one walk and
/// shared by all checks (nested inline targets and prompts included, in
/// source order).
public struct FlowIndex: Sendable {
    public struct StepEntry: Sendable {
        public var step: Step
        /// Index into `flow.nodes`.
        public var node: Int
    }

    public struct TargetEntry: Sendable {
        public var target: Target
        public var field: TargetField
        public var node: Int
    }

    public let flow: Flow
    public private(set) var steps: [StepEntry] = []
    public private(set) var targets: [TargetEntry] = []
    /// Lists of steps that run in order: node bodies, then inline targets.
    public private(set) var stepLists: [[Step]] = []
    /// The control-flow graph, for the analyses of loops, reachability and data flow.
    public private(set) var graph: FlowGraph

    public init(_ flow: Flow) {
        self.flow = flow
        self.graph = FlowGraph(flow)
        for (index, node) in flow.nodes.enumerated() {
            stepLists.append(node.steps)
            for step in node.steps { walk(step, index) }
        }
    }

    private mutating func walk(_ step: Step, _ node: Int) {
        steps.append(StepEntry(step: step, node: node))
        step.forEachPrompt { prompt in
            for media in prompt.steps { steps.append(StepEntry(step: media, node: node)) }
        }
        step.forEachTarget { field, target in
            targets.append(TargetEntry(target: target, field: field, node: node))
            if case .inline(let inner, _) = target {
                stepLists.append(inner)
                for s in inner { walk(s, node) }
            }
        }
    }
}

extension Step {
    /// Calls `body` for each target of the step with the field that holds it, in source order.
    public func forEachTarget(_ body: (TargetField, Target) -> Void) {
        switch kind {
        case .menu(let m):
            for option in m.options { body(.option(option.spelling), option.target) }
            if let t = m.onInvalid { body(.onInvalid, t) }
            if let t = m.onTimeout { body(.onTimeout, t) }
            if let t = m.onExhausted { body(.onExhausted, t) }
        case .capture(let c):
            if let t = c.onInvalid { body(.onInvalid, t) }
            if let t = c.onTimeout { body(.onTimeout, t) }
            if let t = c.onExhausted { body(.onExhausted, t) }
        case .branch(let b):
            for arm in b.arms { body(.then, arm.then) }
            if let t = b.otherwise { body(.otherwise, t) }
        case .goto(let t): body(.goto, t)
        case .transfer(let t): if let f = t.onFail { body(.onFail, f) }
        case .webhook(let w): if let e = w.onError { body(.onError, e) }
        case .say, .play, .set, .record, .hangup: break
        }
    }

    /// Calls `body` for each prompt of a menu or capture, in source order
    /// (what `prompts` returns, without making an array).
    public func forEachPrompt(_ body: (Prompt) -> Void) {
        switch kind {
        case .menu(let m):
            body(m.prompt)
            if let p = m.shortPrompt { body(p) }
        case .capture(let c):
            if let p = c.prompt { body(p) }
            if let p = c.shortPrompt { body(p) }
        default: break
        }
    }

    /// The prompts of a menu or capture.
    public var prompts: [Prompt] {
        switch kind {
        case .menu(let m): [m.prompt] + (m.shortPrompt.map { [$0] } ?? [])
        case .capture(let c): (c.prompt.map { [$0] } ?? []) + (c.shortPrompt.map { [$0] } ?? [])
        default: []
        }
    }
}
