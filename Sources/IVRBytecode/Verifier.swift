/// Checks every flow's code before a single instruction runs: each byte
/// decodes as a known opcode with in-range operands, every jump lands on an
/// instruction boundary of the same flow, the code cannot run off its end,
/// and the tables (entry, nodes, debug) point at instructions.
import IVRSyntax

enum Verifier {
    /// The most digits a capture may ask for (flow-language.md section 5.1).
    static let maxDigits: UInt64 = 32
    /// Any timeout or duration above a day is refused (no clock overflow).
    static let maxMilliseconds: UInt64 = 86_400_000

    static func verify(_ image: BundleImage) throws(BundleError) -> (starts: [Set<Int>], patterns: [Int: Pattern]) {
        guard !image.flows.isEmpty else { throw .malformed("the bundle holds no flows") }
        var names: Set<String> = [], extensions: Set<String> = []
        var starts: [Set<Int>] = []
        var patternIndices: Set<Int> = []
        for flow in image.flows {
            let name = image.strings[flow.name]
            guard names.insert(name).inserted else { throw .malformed("two flows are named '\(name)'") }
            if let ext = flow.extensionNumber {
                guard extensions.insert(image.strings[ext]).inserted else {
                    throw .malformed("two flows have extension \(image.strings[ext])")
                }
            }
            for (i, builtin) in BuiltinVariable.allCases.enumerated() where image.strings[flow.variables[i].name] != builtin.rawValue {
                throw .malformed("flow '\(name)': variable \(i) must be the built-in '\(builtin.rawValue)'")
            }
            starts.append(try verifyCode(flow, in: image, name: name, patterns: &patternIndices))
        }
        var patterns: [Int: Pattern] = [:]
        for index in patternIndices.sorted() {
            do {
                patterns[index] = try Pattern(image.strings[index])
            } catch {
                throw .malformed("pattern \"\(image.strings[index])\" does not compile: \(error)")
            }
        }
        return (starts, patterns)
    }

    /// String operands that are regular expressions (compiled once, at load).
    private static func collectPatterns(_ ins: Instruction, into set: inout Set<Int>) {
        switch ins.opcode {
        case .extendKeys, .onExtension:
            if case .string(let i) = ins.operands[0] { set.insert(i) }
        case .waitDigits:
            if case .optString(let i?) = ins.operands[5] { set.insert(i) }
        case .transfer:
            if case .optString(let i?) = ins.operands[4] { set.insert(i) }
        case .branchIfFalse:
            if case .expression(let e) = ins.operands[0] { collectPatterns(e, into: &set, depth: 0) }
        default: break
        }
    }

    private static func collectPatterns(_ e: CodeExpression, into set: inout Set<Int>, depth: Int) {
        guard depth < ExpressionCode.maxDepth else { return }
        switch e {
        case .call(.matches, let args):
            if args.count == 2, case .string(let i) = args[1] { set.insert(i) }
            for a in args { collectPatterns(a, into: &set, depth: depth + 1) }
        case .call(_, let args): for a in args { collectPatterns(a, into: &set, depth: depth + 1) }
        case .not(let x): collectPatterns(x, into: &set, depth: depth + 1)
        case .binary(_, let l, let r):
            collectPatterns(l, into: &set, depth: depth + 1)
            collectPatterns(r, into: &set, depth: depth + 1)
        default: break
        }
    }

    private static func verifyCode(_ flow: FlowImage, in image: BundleImage, name: String,
                                   patterns: inout Set<Int>) throws(BundleError) -> Set<Int> {
        let limits = OperandLimits(image: image, flow: flow)
        var starts: Set<Int> = []
        var labels: [(at: Int, target: Int)] = []
        var offset = 0
        var last: Opcode = .jump
        while offset < flow.code.count {
            let ins = try InstructionDecoder.decode(flow.code, at: offset, limits: limits, flowName: name)
            starts.insert(offset)
            for operand in ins.operands {
                if case .label(let target) = operand { labels.append((offset, target)) }
            }
            try checkValues(ins, flow: name)
            collectPatterns(ins, into: &patterns)
            last = ins.opcode
            offset += ins.length
        }
        guard last.endsBlock else {
            throw .badCode(flow: name, offset: offset, "the code can run past its end (last instruction \(last.name))")
        }
        for (at, target) in labels where !starts.contains(target) {
            throw .badCode(flow: name, offset: at, "jump to \(target), which is not the start of an instruction")
        }
        guard starts.contains(flow.entry) else { throw .badCode(flow: name, offset: flow.entry, "entry point is not an instruction") }
        for node in flow.nodes where !starts.contains(node.offset) {
            throw .badCode(flow: name, offset: node.offset, "node '\(image.strings[node.name])' does not start an instruction")
        }
        for e in flow.debug?.entries ?? [] where !starts.contains(e.offset) {
            throw .badCode(flow: name, offset: e.offset, "debug entry does not start an instruction")
        }
        return starts
    }

    /// Operand values with a meaning beyond "an index in range".
    private static func checkValues(_ ins: Instruction, flow: String) throws(BundleError) {
        func fail(_ what: String) -> BundleError { .badCode(flow: flow, offset: ins.offset, "\(ins.opcode.name): \(what)") }
        for (kind, operand) in zip(ins.opcode.operands, ins.operands) {
            if kind == .uint, case .uint(let v) = operand, v > maxMilliseconds { throw fail("value \(v) is too large") }
        }
        switch (ins.opcode, ins.operands) {
        case (.waitDigits, let ops):
            guard case .uint(let min) = ops[0], case .uint(let max) = ops[1], case .uint(let flags) = ops[6] else { return }
            guard max >= 1, max <= maxDigits, min <= max else { throw fail("digit limits \(min)...\(max) are invalid") }
            guard flags <= 1 else { throw fail("unknown flags \(flags)") }
        case (.retry, let ops):
            guard case .uint(let attempts) = ops[1], (1...10).contains(attempts) else { throw fail("attempts must be 1...10") }
        case (.back, let ops):
            guard case .uint(let flag) = ops[0], flag <= 1 else { throw fail("flag must be 0 or 1") }
        case (.webhook, let ops):
            guard case .uint(let method) = ops[0], method <= 1 else { throw fail("method must be 0 (GET) or 1 (POST)") }
        case (.record, let ops):
            guard case .uint(let beep) = ops[2], beep <= 1 else { throw fail("beep must be 0 or 1") }
        default: break
        }
    }
}
