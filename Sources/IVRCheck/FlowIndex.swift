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

    /// The kinds of step some check looks for (see `entries(_:)`).
    public enum Kind: Int, Sendable, CaseIterable { case menu, capture, transfer, webhook, play, branch }

    public let flow: Flow
    public private(set) var steps: [StepEntry] = []
    /// Positions in `steps` of the steps of each `Kind`.
    private var byKind: [[Int]] = Array(repeating: [], count: Kind.allCases.count)
    public private(set) var targets: [TargetEntry] = []
    /// Lists of steps that run in order: each node body, followed by the inline targets in it.
    public private(set) var stepLists: [[Step]] = []
    /// What the checks need to know of each of `stepLists`, gathered while its steps are at hand.
    public struct ListFacts: Sendable {
        public var count: Int
        /// The position of the first step that always jumps; -1 when none does.
        public var firstJump: Int
    }
    public private(set) var listFacts: [ListFacts] = []
    /// The position in `stepLists` of each node's body.
    public private(set) var nodeLists: [Int] = []
    /// Each inline target: its position in `targets` and in `stepLists`, its field and node.
    public private(set) var inlineTargets: [(target: Int, list: Int, field: TargetField, node: Int)] = []
    /// The first node of each name (a later node of the same name cannot be reached by name).
    let nodeIndex: NodeNames

    /// Walks the flow. The control-flow graph is built apart (`FlowGraph`),
    /// so that the two can be built at the same time.
    public init(_ flow: Flow) {
        self.flow = flow
        nodeIndex = NodeNames(flow.nodes)
        for (index, node) in flow.nodes.enumerated() {
            nodeLists.append(stepLists.count)
            appendList(node.steps)
            for step in node.steps { walk(step, index) }
        }
    }

    private mutating func appendList(_ list: [Step]) {
        stepLists.append(list)
        listFacts.append(ListFacts(count: list.count, firstJump: list.firstIndex { $0.alwaysJumps } ?? -1))
    }

    /// The steps of one kind, in source order.
    public func entries(_ kind: Kind) -> LazyMapSequence<[Int], StepEntry> {
        byKind[kind.rawValue].lazy.map { steps[$0] }
    }

    /// The steps of several kinds, in source order.
    public func entries(_ kinds: [Kind]) -> LazyMapSequence<[Int], StepEntry> {
        kinds.flatMap { byKind[$0.rawValue] }.sorted().lazy.map { steps[$0] }
    }

    private mutating func append(_ step: Step, _ node: Int) {
        let kind: Kind? = switch step.kind {
        case .menu: .menu
        case .capture: .capture
        case .transfer: .transfer
        case .webhook: .webhook
        case .play: .play
        case .branch: .branch
        case .say, .set, .goto, .record, .hangup, .wait: nil
        }
        if let kind { byKind[kind.rawValue].append(steps.count) }
        steps.append(StepEntry(step: step, node: node))
    }

    /// One step, its prompts' steps and its targets (inline steps walked in
    /// turn), with one look at the step's payload.
    private mutating func walk(_ step: Step, _ node: Int) {
        append(step, node)
        switch step.kind {
        case .menu(let m):
            for media in m.prompt.steps { append(media, node) }
            if let short = m.shortPrompt { for media in short.steps { append(media, node) } }
            for option in m.options { target(option.target, .option(option.spelling), node) }
            handlers(m.onInvalid, m.onTimeout, m.onExhausted, node)
        case .capture(let c):
            if let p = c.prompt { for media in p.steps { append(media, node) } }
            if let short = c.shortPrompt { for media in short.steps { append(media, node) } }
            handlers(c.onInvalid, c.onTimeout, c.onExhausted, node)
        case .branch(let b):
            for arm in b.arms { target(arm.then, .then, node) }
            if let t = b.otherwise { target(t, .otherwise, node) }
        case .goto(let t): target(t, .goto, node)
        case .transfer(let t):
            // A bridge's ringback and whisper are prompts like a menu's: their files are checked the same way.
            if case .media(let p)? = t.ringback { for media in p.steps { append(media, node) } }
            if let w = t.whisper { for media in w.steps { append(media, node) } }
            if let f = t.onFail { target(f, .onFail, node) }
        case .webhook(let w): if let e = w.onError { target(e, .onError, node) }
        case .say, .play, .set, .record, .hangup, .wait: break
        }
    }

    private mutating func handlers(_ onInvalid: Target?, _ onTimeout: Target?, _ onExhausted: Target?, _ node: Int) {
        if let t = onInvalid { target(t, .onInvalid, node) }
        if let t = onTimeout { target(t, .onTimeout, node) }
        if let t = onExhausted { target(t, .onExhausted, node) }
    }

    /// A target of a step, in `Step.forEachTarget` order.
    private mutating func target(_ target: Target, _ field: TargetField, _ node: Int) {
        targets.append(TargetEntry(target: target, field: field, node: node))
        if case .inline(let inner, _) = target {
            inlineTargets.append((targets.count - 1, stepLists.count, field, node))
            appendList(inner)
            for s in inner { walk(s, node) }
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
        case .say, .play, .set, .record, .hangup, .wait: break
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
