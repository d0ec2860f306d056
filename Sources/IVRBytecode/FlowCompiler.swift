import IVRSyntax

/// Compiles one flow. The layouts of menus and captures are in
/// `FlowCompiler+Waits.swift`; docs/bytecode.md shows them.
struct FlowCompiler {
    let flow: Flow
    let flowIndex: [String: Int]
    var pool: StringPool
    var asm = Assembler()
    var variables: [String: Int] = [:]
    var variableTable: [VariableInfo] = []
    var slots = 0
    var nodeLabels: [String: Assembler.Label] = [:]
    var schedules: [String: Int] = [:]
    /// Loop labels of the enclosing menus and captures (`repeat` jumps to the innermost).
    var repeatTargets: [Assembler.Label] = []
    /// Inside a menu's options or handlers: `back` leaves that menu first.
    var menuDepth = 0

    /// Where control goes when inline steps end without a jump.
    enum Continuation {
        /// An anonymous node: implicit hangup.
        case hangup
        /// A handler: fall through to the retry logic that follows.
        case fallThrough
        /// A branch arm: continue after the branch.
        case jump(Assembler.Label)
    }

    init(flow: Flow, flowIndex: [String: Int], pool: StringPool) {
        self.flow = flow
        self.flowIndex = flowIndex
        self.pool = pool
        for builtin in BuiltinVariable.allCases { _ = variable(builtin.rawValue) }
        // The campaign's columns follow the built-ins, in the order `inputs` lists them.
        for input in flow.inputs {
            let index = variable(input.value)
            variableTable[index].input = true
        }
    }

    mutating func compile() -> FlowImage {
        var image = FlowImage(name: pool.intern(flow.name.value))
        image.extensionNumber = flow.extensionNumber.map { pool.intern($0.value) }
        image.language = flow.language.map { pool.intern($0.value) }
        image.voice = flow.voice.map { pool.intern($0.value) }
        image.eventsURL = flow.events.map { pool.intern($0.url.value.raw) }
        image.servers = flow.servers.map { pool.intern($0.value) }
        for s in flow.hours { image.schedules.append(schedule(s)) }
        var nodeIndices: [(name: Int, label: Assembler.Label)] = []
        for node in flow.nodes where nodeLabels[node.name.value] == nil {
            let label = asm.newLabel()
            nodeLabels[node.name.value] = label
            nodeIndices.append((pool.intern(node.name.value), label))
        }
        var seen: Set<String> = []
        for node in flow.nodes where seen.insert(node.name.value).inserted {
            asm.location = node.name.range.start
            if let label = nodeLabels[node.name.value] { asm.bind(label) }
            asm.emit(.node(StringRef(pool.intern(node.name.value))))
            compileSteps(node.steps, then: .hangup)
        }
        if flow.nodes.isEmpty { asm.emit(.hangup) }
        let (code, _, labels, debug) = asm.finish()
        image.code = code
        image.nodes = nodeIndices.map { NodeEntry(name: $0.name, offset: labels[$0.label] ?? 0) }
        let start = flow.startNodeName.flatMap { nodeLabels[$0] }
        image.entry = start.flatMap { labels[$0] } ?? 0
        image.slots = slots
        image.variables = variableTable
        image.debug = DebugInfo(file: flow.file, entries: debug)
        return image
    }

    // MARK: - Tables

    mutating func variable(_ name: String, sensitive: Bool = false) -> Int {
        if let i = variables[name] {
            if sensitive { variableTable[i].sensitive = true }
            return i
        }
        variables[name] = variableTable.count
        variableTable.append(VariableInfo(name: pool.intern(name), sensitive: sensitive))
        return variableTable.count - 1
    }

    mutating func newSlot() -> Int {
        slots += 1
        return slots - 1
    }

    mutating func text(_ s: InterpolatedString) -> CodeText {
        CodeText(s.parts.map { part in
            switch part {
            case .text(let t): .constant(pool.intern(t))
            case .variable(let name, _): .variable(variable(name))
            }
        })
    }

    mutating func string(_ s: String) -> StringRef { StringRef(pool.intern(s)) }

    mutating func optString(_ s: String?) -> StringRef? { s.map { string($0) } }

    private mutating func schedule(_ s: Schedule) -> ScheduleImage {
        schedules[s.name.value] = schedules.count
        let rules = s.rules.map { rule in
            ScheduleImage.Rule(days: rule.weekdays.reduce(UInt8(0)) { $0 | UInt8(1 << ($1 & 7)) } & 0x7F,
                               intervals: rule.intervals.map { max(0, $0.lowerBound)..<min(1440, max($0.lowerBound, $0.upperBound)) })
        }
        return ScheduleImage(name: pool.intern(s.name.value), timezone: s.timezone.map { pool.intern($0.value) },
                             rules: rules, closed: s.closed.map { pool.intern($0.value) })
    }
}
