import IVRSyntax

/// The variables of one flow that something reads, numbered (a variable
/// nothing reads cannot be unset, tainted or exposed anywhere that
/// matters), with what each step vertex reads and writes, gathered once
/// for every analysis.
struct FlowVariables: Sendable {
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]
    /// The reads of step vertex `v`: `reads[readOffsets[v]..<readOffsets[v + 1]]`, in source order.
    private(set) var reads: [Read] = []
    private(set) var readOffsets: [Int] = [0]
    /// The writes of step vertex `v`: `writes[writeOffsets[v]..<writeOffsets[v + 1]]`.
    private(set) var writes: [Write] = []
    private(set) var writeOffsets: [Int] = [0]
    /// Whether some read is of a variable that is not built in.
    private(set) var readsNonBuiltins = false

    /// One `${name}` (or expression variable) a step reads.
    struct Read: Sendable {
        /// The variable as written (`customer.tier`) and the one that must be set (`customer`).
        var name: String
        var root: String
        /// The text or expression that reads it.
        var range: SourceRange
        var place: Place
        /// The number of `root`.
        var number: Int
        /// For a `set`, the assignment whose value reads it; -1 otherwise.
        var assignment: Int
        /// For a `${name}` in text: the text (the scalar's value) and where
        /// its `$` is in it, in Unicode scalars; nil for a condition's
        /// variable, whose `range` is its own.
        var text = ""
        var reference: Int?

        /// The Unicode scalars of `text` that the `${...}` covers.
        var span: Range<Int>? { reference.map { InterpolatedString.referenceSpan(in: text, at: $0) } }
    }

    enum Place: Equatable, Sendable { case spoken, url, body, destination, callerID, value, condition }

    /// A variable a step defines (on the edge where it succeeds); `number` is nil when nothing reads it.
    struct Write: Sendable {
        var name: Located<String>
        var number: Int?
    }

    /// Numbers the built-ins and the flow's `inputs` (set on entry, like
    /// the built-ins); the steps follow through `gather(_:)`, then `finish(_:)`.
    init(inputs: [String] = []) {
        for name in Variables.builtins.sorted() { _ = number(name) }
        for name in inputs { _ = number(name) }
        builtinCount = names.count
    }

    private var builtinCount = 0
    /// Where the reads and writes of each step (in `FlowGraph.steps` order) end.
    private var stepReadEnds: [Int] = []
    private var stepWriteEnds: [Int] = []

    /// Records what the next step of the graph reads and writes (called as the step is laid out).
    mutating func gather(_ step: Step) {
        gatherStep(step)
        endStep()
    }

    /// Indexes the reads and writes by vertex.
    mutating func finish(_ vertices: [FlowGraph.Vertex]) {
        readOffsets.reserveCapacity(vertices.count + 1)
        writeOffsets.reserveCapacity(vertices.count + 1)
        var reads = 0, writes = 0
        for vertex in vertices {
            if case .step(let s) = vertex.kind {
                reads = stepReadEnds[s]
                writes = stepWriteEnds[s]
            }
            readOffsets.append(reads)
            writeOffsets.append(writes)
        }
        stepReadEnds = []
        stepWriteEnds = []
        // Most written variables are never read: a name of a length no read
        // variable has is not looked up (a hash of every name written cost more).
        // (Only for ASCII names: other spellings of one name may differ in length.)
        var lengths: UInt64 = 0
        for name in names { lengths |= 1 << UInt64(min(name.utf8.count, 63)) }
        if !names.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) { lengths = .max }
        for i in self.writes.indices where lengths & (1 << UInt64(min(self.writes[i].name.value.utf8.count, 63))) != 0
            || !self.writes[i].name.value.utf8.allSatisfy({ $0 < 0x80 }) {
            self.writes[i].number = numbers[self.writes[i].name.value]
        }
        readsNonBuiltins = self.reads.contains { $0.number >= builtinCount }
    }

    var count: Int { names.count }

    private mutating func number(_ name: String) -> Int {
        if let n = numbers[name] { return n }
        names.append(name)
        numbers[name] = names.count - 1
        return names.count - 1
    }

    func index(_ name: String) -> Int? { numbers[name] }

    /// The variables set on entry (the built-ins and the flow's `inputs`), as bit words.
    var builtins: [UInt64] {
        var words = Array(repeating: UInt64(0), count: max(1, (count + 63) / 64))
        for n in 0..<builtinCount { words[n >> 6] |= 1 << UInt64(n & 63) }
        return words
    }

    func reads(of v: Int) -> ArraySlice<Read> { reads[readOffsets[v]..<readOffsets[v + 1]] }
    func writes(of v: Int) -> ArraySlice<Write> { writes[writeOffsets[v]..<writeOffsets[v + 1]] }

    private mutating func add(_ s: Located<InterpolatedString>, _ place: Place, assignment: Int = -1) {
        if s.value.isConstant { return } // most text: no variable, and no parts array made
        for part in s.value.parts {
            guard case .variable(let name, let offset) = part else { continue }
            let root = Self.root(name)
            reads.append(Read(name: name, root: root, range: s.range, place: place, number: number(root), assignment: assignment,
                              text: s.value.raw, reference: offset))
        }
    }

    private mutating func gatherStep(_ step: Step) {
        switch step.kind {
        case .say(let say): gather(say: say)
        case .set(let set): gather(set: set)
        case .webhook(let hook): gather(webhook: hook)
        case .transfer(let t): gather(transfer: t)
        case .branch(let b): gather(branch: b)
        case .menu(let m): gather(menu: m)
        case .capture(let c): gather(capture: c)
        case .record(let r): gatherWrite(r.into)
        case .play, .goto, .hangup, .wait: break
        }
    }

    // What one step reads and writes, by kind: the graph builder calls the
    // one for the step's payload (which it has at hand), then `endStep()`.

    mutating func gather(say: Say) { add(say.text, .spoken) }

    mutating func gather(set: SetVariables) {
        for (k, a) in set.assignments.enumerated() {
            add(a.value, .value, assignment: k)
            writes.append(Write(name: a.name, number: nil))
        }
    }

    mutating func gather(webhook hook: Webhook) {
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
        if let into = hook.into { writes.append(Write(name: into, number: nil)) }
    }

    mutating func gather(transfer t: Transfer) {
        add(t.destination.value, .destination)
        if let id = t.callerID { add(id, .callerID) }
        // A bridge's ringback and whisper are spoken like prompts (E209, E503).
        if case .media(let p)? = t.ringback { addSpoken(p) }
        if let w = t.whisper { addSpoken(w) }
    }

    mutating func gather(branch b: Branch) {
        for arm in b.arms {
            for v in arm.condition?.variables ?? [] {
                let root = Self.root(v.value)
                reads.append(Read(name: v.value, root: root, range: v.range, place: .condition,
                                  number: number(root), assignment: -1))
            }
        }
    }

    mutating func gather(menu m: Menu) {
        addSpoken(m.prompt)
        if let p = m.shortPrompt { addSpoken(p) }
    }

    mutating func gather(capture c: Capture) {
        if let p = c.prompt { addSpoken(p) }
        if let p = c.shortPrompt { addSpoken(p) }
        writes.append(Write(name: c.into, number: nil))
    }

    mutating func gatherWrite(_ name: Located<String>) {
        writes.append(Write(name: name, number: nil))
    }

    /// Closes the current step (see `gather(say:)`).
    mutating func endStep() {
        stepReadEnds.append(reads.count)
        stepWriteEnds.append(writes.count)
    }

    private mutating func addSpoken(_ prompt: Prompt) {
        for media in prompt.steps { if case .say(let say) = media.kind { add(say.text, .spoken) } }
    }

    static func root(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: ".")) else { return name }
        return name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
    }

    /// The first write (in graph order) of `name`, for notes.
    func firstWrite(of name: String, in graph: FlowGraph, where accept: (Step) -> Bool = { _ in true }) -> Located<String>? {
        for v in 0..<graph.vertexCount where writeOffsets[v] < writeOffsets[v + 1] {
            guard let step = graph.step(v), accept(step) else { continue }
            if let w = writes(of: v).first(where: { $0.name.value == name }) { return w.name }
        }
        return nil
    }

    /// The names every step writes, in graph order, for suggestions.
    var writtenNames: [String] { writes.map(\.name.value) }
}

extension FlowVariables {
    /// A may-analysis of a property that flows through `set` (a value made
    /// from a marked variable is marked; from unmarked ones, unmarked):
    /// `source(step)` says whether a capture, recording or webhook result
    /// starts marked.
    func propagation(_ graph: FlowGraph, source: (Step) -> Bool) -> DataFlow.States {
        var special = BitSet(capacity: graph.vertexCount)
        var marks = BitSet(capacity: graph.vertexCount)
        for v in 0..<graph.vertexCount where writes(of: v).contains(where: { $0.number != nil }) {
            special.insert(v)
            if let step = graph.step(v), source(step) { marks.insert(v) }
        }
        let empty = Array(repeating: UInt64(0), count: max(1, (count + 63) / 64))
        return DataFlow.solve(graph, variables: count, must: false, entry: empty, special: special) { v, edge, state in
            guard graph.edgeFlags[edge] & FlowGraph.Flags.succeeds != 0, case .step(let s) = graph.vertices[v].kind else { return }
            let ws = writes(of: v)
            if case .set = graph.steps[s].kind {
                let rs = reads(of: v)
                for (k, w) in ws.enumerated() {
                    guard let n = w.number else { continue }
                    let marked = rs.contains { $0.assignment == k && state[$0.number >> 6] & (1 << UInt64($0.number & 63)) != 0 }
                    if marked { state[n >> 6] |= 1 << UInt64(n & 63) } else { state[n >> 6] &= ~(1 << UInt64(n & 63)) }
                }
            } else {
                let on = marks.contains(v)
                for w in ws {
                    guard let n = w.number else { continue }
                    if on { state[n >> 6] |= 1 << UInt64(n & 63) } else { state[n >> 6] &= ~(1 << UInt64(n & 63)) }
                }
            }
        }
    }
}
