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

    /// The verified flows' decoded code, their instruction starts, and every pattern compiled.
    static func verify(_ image: BundleImage) throws(BundleError) -> (programs: [FlowProgram], starts: [Set<Int>], patterns: [Int: Pattern]) {
        guard !image.flows.isEmpty else { throw .malformed("the bundle holds no flows") }
        var names: Set<String> = [], extensions: Set<String> = []
        var starts: [Set<Int>] = []
        var programs: [FlowProgram] = []
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
            let (program, flowStarts) = try verifyCode(flow, in: image, name: name, patterns: &patternIndices)
            programs.append(program)
            starts.append(flowStarts)
        }
        var patterns: [Int: Pattern] = [:]
        for index in patternIndices.sorted() {
            do {
                patterns[index] = try Pattern(image.strings[index])
            } catch {
                throw .malformed("pattern \"\(image.strings[index])\" does not compile: \(error)")
            }
        }
        return (programs, starts, patterns)
    }

    /// String operands that are regular expressions (compiled once, at load).
    private static func collectPatterns(_ ins: Instruction, into set: inout Set<Int>) {
        switch ins {
        case .extendKeys(let pattern, _), .onExtension(let pattern, _): set.insert(pattern.index)
        case .waitDigits(_, _, _, _, _, let pattern?, _): set.insert(pattern.index)
        case .transfer(_, _, _, _, let allow?, _): set.insert(allow.index)
        case .branchIfFalse(let condition, _): collectPatterns(condition, into: &set, depth: 0)
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
                                   patterns: inout Set<Int>) throws(BundleError) -> (FlowProgram, Set<Int>) {
        let limits = OperandLimits(image: image, flow: flow)
        var starts: Set<Int> = []
        var instructions: [Instruction] = []
        var offsets: [Int] = []
        var labels: [(at: Int, target: Int)] = []
        var offset = 0
        var last: Opcode = .jump
        while offset < flow.code.count {
            let ins = try InstructionDecoder.decode(flow.code, at: offset, limits: limits, flowName: name)
            starts.insert(offset)
            let (opcode, operands) = ins.instruction.parts
            for case .label(let target) in operands { labels.append((offset, target)) }
            try checkValues(ins.instruction, opcode: opcode, operands: operands, at: offset, flow: name)
            collectPatterns(ins.instruction, into: &patterns)
            instructions.append(ins.instruction)
            offsets.append(offset)
            last = opcode
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
        offsets.append(flow.code.count)
        return (FlowProgram(instructions: instructions, offsets: offsets), starts)
    }

    /// Operand values with a meaning beyond "an index in range".
    private static func checkValues(_ ins: Instruction, opcode: Opcode, operands: [Operand], at offset: Int,
                                    flow: String) throws(BundleError) {
        func fail(_ what: String) -> BundleError { .badCode(flow: flow, offset: offset, "\(opcode.name): \(what)") }
        for case .uint(let v) in operands where v > maxMilliseconds { throw fail("value \(v) is too large") }
        switch ins {
        case let .waitDigits(min, max, _, _, _, _, flags):
            guard max >= 1, max <= maxDigits, min <= max else { throw fail("digit limits \(min)...\(max) are invalid") }
            guard flags <= 1 else { throw fail("unknown flags \(flags)") }
        case .retry(_, let attempts, _):
            guard (1...10).contains(attempts) else { throw fail("attempts must be 1...10") }
        case .back(let flag):
            guard flag <= 1 else { throw fail("flag must be 0 or 1") }
        case .webhook(let method, _, _, _, _, _):
            guard method <= 1 else { throw fail("method must be 0 (GET) or 1 (POST)") }
        case .record(_, _, let beep, _, _):
            guard beep <= 1 else { throw fail("beep must be 0 or 1") }
        case let .bridgeOptions(via, confirm, _, record, _, ringback):
            guard via < UInt64(BridgeCode.vias.count) else { throw fail("via must be 0...3") }
            guard confirm <= UInt64(BridgeCode.confirmKeys.count) else { throw fail("confirm key \(confirm) is not a key") }
            guard record <= 1 else { throw fail("record must be 0 or 1") }
            guard ringback < UInt64(BridgeCode.tones.count) else { throw fail("ringback tone must be 0...3") }
        case .bridgeMedia(let role):
            guard role <= BridgeCode.whisperRole else { throw fail("role must be 0 (ringback) or 1 (whisper)") }
        case .waitCallee(let kind, _):
            guard kind <= 1 else { throw fail("kind must be 0 (beep) or 1 (silence)") }
        default: break
        }
    }
}
