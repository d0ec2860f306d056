import IVRSyntax

/// A forward data-flow problem over a flow's graph, solved with a work list:
/// sets of variables (by index) at the entry of every vertex.
struct DataFlow {
    /// `must`: meet is intersection and unreached vertices hold every
    /// variable (definite assignment); otherwise meet is union and they hold
    /// none (taint).
    static func solve(
        _ graph: FlowGraph, variables: Int, must: Bool, entry: BitSet,
        transfer: (_ vertex: Int, _ edge: FlowGraph.Edge, _ state: BitSet) -> BitSet
    ) -> [BitSet] {
        let initial = must ? BitSet.full(capacity: variables) : BitSet(capacity: variables)
        var states = Array(repeating: initial, count: graph.vertexCount)
        guard let start = graph.start else { return states }
        states[start] = entry
        var visited = BitSet(capacity: graph.vertexCount)
        var queued = BitSet(capacity: graph.vertexCount)
        var work = [start]
        visited.insert(start)
        queued.insert(start)
        while let v = work.popLast() {
            queued.remove(v)
            for edge in graph.edges[v] {
                let out = transfer(v, edge, states[v])
                let t = edge.target
                let first = visited.insert(t)
                let changed = must ? states[t].formIntersection(out) : states[t].formUnion(out)
                if changed || first, queued.insert(t) { work.append(t) }
            }
        }
        return states
    }
}

/// The variables of one flow that something reads, numbered (a variable
/// nothing reads cannot be unset, tainted or exposed anywhere that
/// matters), with what each step reads and writes.
struct FlowVariables {
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]

    init(_ graph: FlowGraph) {
        for name in Variables.builtins.sorted() { _ = number(name) }
        for v in 0..<graph.vertexCount {
            guard let step = graph.step(v) else { continue }
            for read in Self.reads(step) { _ = number(read.root) }
        }
    }

    var count: Int { names.count }

    mutating func number(_ name: String) -> Int {
        if let n = numbers[name] { return n }
        names.append(name)
        numbers[name] = names.count - 1
        return names.count - 1
    }

    func index(_ name: String) -> Int? { numbers[name] }

    var builtins: BitSet {
        var set = BitSet(capacity: count)
        for name in Variables.builtins { if let n = numbers[name] { set.insert(n) } }
        return set
    }

    /// One `${name}` (or expression variable) a step reads.
    struct Read {
        /// The variable as written (`customer.tier`) and the one that must be set (`customer`).
        var name: String
        var root: String
        /// The text or expression that reads it.
        var range: SourceRange
        var place: Place
    }

    enum Place: Equatable { case spoken, url, body, destination, callerID, value, condition }

    static func reads(_ step: Step) -> [Read] {
        var out: [Read] = []
        func add(_ s: Located<InterpolatedString>, _ place: Place) {
            for name in s.value.variables { out.append(Read(name: name, root: root(name), range: s.range, place: place)) }
        }
        switch step.kind {
        case .say(let say): add(say.text, .spoken)
        case .set(let set): for a in set.assignments { add(a.value, .value) }
        case .webhook(let hook):
            add(hook.url, .url)
            var stack = hook.body.map { [$0] } ?? []
            while let json = stack.popLast() {
                switch json {
                case .string(let s): add(s, .body)
                case .array(let items, _): stack.append(contentsOf: items.reversed())
                case .object(let members, _): stack.append(contentsOf: members.map(\.value).reversed())
                case .number, .bool, .null: break
                }
            }
        case .transfer(let t):
            add(t.destination.value, .destination)
            if let id = t.callerID { add(id, .callerID) }
        case .branch(let b):
            for arm in b.arms {
                for v in arm.condition?.variables ?? [] {
                    out.append(Read(name: v.value, root: root(v.value), range: v.range, place: .condition))
                }
            }
        case .menu, .capture:
            for prompt in step.prompts {
                for media in prompt.steps { if case .say(let say) = media.kind { add(say.text, .spoken) } }
            }
        case .play, .goto, .record, .hangup: break
        }
        return out
    }

    /// The variables a step defines (on the edge where it succeeds).
    static func writes(_ step: Step) -> [Located<String>] {
        switch step.kind {
        case .set(let set): set.assignments.map(\.name)
        case .capture(let c): [c.into]
        case .record(let r): [r.into]
        case .webhook(let w): w.into.map { [$0] } ?? []
        default: []
        }
    }

    /// Whether `edge` leaving `step` is the one on which the step's writes happen.
    static func writesOn(_ edge: FlowGraph.Edge, of step: Step) -> Bool {
        switch step.kind {
        case .set: edge.kind == .next
        case .capture: edge.kind == .captured
        case .record: edge.kind == .recorded
        case .webhook: edge.kind == .webhookOK
        default: false
        }
    }

    static func root(_ name: String) -> String {
        name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
    }
}

extension FlowVariables {
    /// A may-analysis of a property that flows through `set` (a value made
    /// from a marked variable is marked; from unmarked ones, unmarked):
    /// `source(step)` says whether a capture, recording or webhook result
    /// starts marked.
    func propagation(_ graph: FlowGraph, source: @escaping (Step) -> Bool) -> [BitSet] {
        DataFlow.solve(graph, variables: count, must: false, entry: BitSet(capacity: count)) { v, edge, state in
            guard let step = graph.step(v), Self.writesOn(edge, of: step) else { return state }
            var out = state
            if case .set(let set) = step.kind {
                for a in set.assignments {
                    guard let n = index(a.name.value) else { continue }
                    let marked = a.value.value.variables.contains { index(Self.root($0)).map(out.contains) ?? false }
                    if marked { out.insert(n) } else { out.remove(n) }
                }
            } else {
                for name in Self.writes(step) {
                    guard let n = index(name.value) else { continue }
                    if source(step) { out.insert(n) } else { out.remove(n) }
                }
            }
            return out
        }
    }

    /// The first step (in graph order) that writes `name`, for notes.
    func firstWrite(of name: String, in graph: FlowGraph, where accept: (Step) -> Bool = { _ in true }) -> Located<String>? {
        for v in 0..<graph.vertexCount {
            guard let step = graph.step(v), accept(step) else { continue }
            if let w = Self.writes(step).first(where: { $0.value == name }) { return w }
        }
        return nil
    }
}
