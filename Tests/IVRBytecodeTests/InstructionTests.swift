import IVRSyntax
import Testing
@testable import IVRBytecode

/// Every opcode, built as a typed instruction with representative operands
/// (distinct values, so swapped operands show), goes through encode, verify,
/// disassemble and decode and comes back equal.
@Suite struct InstructionTests {
    /// Strings 0-5 are the flow's name and the built-ins; then these.
    static let strings = ["f", "caller", "called", "flow", "language", "voice",
                          "hello", "alice", "en-GB", "^1[0-9]{3}$", "beep.wav", "hi", "account", "answer"]
    static let hello = StringRef(6), alice = StringRef(7), english = StringRef(8)
    static let pattern = StringRef(9), file = StringRef(10)
    /// Variables 0-4 are the built-ins; 5 and 6 are the flow's own.
    static let account = VariableRef(5), answer = VariableRef(6)
    static let text = CodeText([.constant(6), .variable(5)])
    static let other = CodeText([.variable(6), .constant(11)])
    /// Every label points at the instruction itself (offset 0), the one start there is.
    static let here = JumpTarget(0)

    /// The instruction each opcode is tested with. The switch is exhaustive:
    /// a new opcode does not compile until it has a case here.
    static func sample(_ opcode: Opcode) -> Instruction {
        switch opcode {
        case .node: .node(hello)
        case .jump: .jump(here)
        case .hangup: .hangup
        case .say: .say(text, voice: alice, language: english)
        case .play: .play(file, transcript: hello)
        case .queueSay: .queueSay(other, voice: nil, language: english)
        case .queuePlay: .queuePlay(file, transcript: nil)
        case .set: .set(account, text)
        case .menu: .menu(SlotRef(1))
        case .attemptReset: .attemptReset(SlotRef(1))
        case .ifRetry: .ifRetry(SlotRef(1), short: here)
        case .waitKey: .waitKey(timeout: 5000)
        case .extendKeys: .extendKeys(pattern: pattern, interDigit: 3000)
        case .waitDigits:
            .waitDigits(min: 2, max: 6, terminator: .hash, timeout: 7000, interDigit: 4000, pattern: pattern, flags: 1)
        case .onTimeout: .onTimeout(here)
        case .onKey: .onKey(.star, here)
        case .onExtension: .onExtension(pattern: pattern, here)
        case .invalid: .invalid
        case .retry: .retry(SlotRef(1), attempts: 3, loop: here)
        case .accept: .accept(into: answer, invalid: here)
        case .back: .back(leaveCurrent: 1)
        case .top: .top
        case .resume: .resume
        case .transfer:
            .transfer(.sip, text, callerID: other, ringTimeout: 30000, allow: pattern, fail: here)
        case .transferKeyed: .transferKeyed(fail: here)
        case .gotoFlow: .gotoFlow(FlowRef(0))
        case .webhook:
            .webhook(method: 1, url: other, body: text, timeout: 2500, into: answer, error: here)
        case .record: .record(into: answer, max: 60000, beep: 1, finishOn: .d9, silence: 5000)
        case .branchIfFalse:
            .branchIfFalse(.binary(.and, .call(.matches, [.variable(5), .string(9)]),
                                   .not(.binary(.less, .variable(6), .number(ExactNumber("42")!)))), here)
        case .bridgeOptions:
            .bridgeOptions(via: 2, confirm: 2, confirmTimeout: 10000, record: 1, maxDuration: 3_600_000, ringback: 1)
        case .bridgeMedia: .bridgeMedia(role: 1)
        case .waitCallee: .waitCallee(kind: 1, timeout: 30000)
        }
    }

    static func kind(of operand: Operand) -> OperandKind {
        switch operand {
        case .uint: .uint
        case .string: .string
        case .optString: .optString
        case .variable: .variable
        case .optVariable: .optVariable
        case .slot: .slot
        case .label: .label
        case .key: .key
        case .optKey: .optKey
        case .text: .text
        case .optText: .optText
        case .flow: .flow
        case .destination: .destination
        case .expression: .expression
        }
    }

    /// A one-flow bundle whose code is `instruction`, then `HANGUP` when it falls through.
    static func image(_ instruction: Instruction) -> BundleImage {
        var w = ByteWriter()
        w.instruction(instruction)
        if !instruction.opcode.endsBlock { w.instruction(.hangup) }
        var flow = FlowImage(name: 0)
        flow.variables = (1...5).map { VariableInfo(name: $0, sensitive: false) }
            + [VariableInfo(name: 12, sensitive: false), VariableInfo(name: 13, sensitive: false)]
        flow.slots = 2
        flow.code = w.bytes
        return BundleImage(strings: strings, flows: [flow])
    }

    @Test(arguments: Opcode.allCases)
    func roundTrips(_ opcode: Opcode) throws {
        let instruction = Self.sample(opcode)
        #expect(instruction.opcode == opcode)
        // The operands are of the kinds the opcode declares, in its order.
        #expect(instruction.operands.map(Self.kind) == opcode.operands)

        // Encode: the opcode byte, then each operand as its kind says.
        var w = ByteWriter()
        w.instruction(instruction)
        #expect(w.bytes.first == opcode.rawValue)
        var expected = ByteWriter()
        expected.byte(opcode.rawValue)
        for operand in instruction.operands { expected.operand(operand) }
        #expect(w.bytes == expected.bytes)

        // Decode: the same instruction, every byte read.
        let limits = OperandLimits(strings: Self.strings.count, variables: 7, slots: 2, flows: 1, schedules: 0,
                                   codeLength: w.count)
        let decoded = try InstructionDecoder.decode(w.bytes, at: 0, limits: limits, flowName: "f")
        #expect(decoded.instruction == instruction)
        #expect(decoded.length == w.count)
        #expect(decoded.offset == 0)

        // Verify: the loader accepts it and keeps the decoded instruction for the interpreter.
        let bundle = try Bundle.load(BundleWriter.write(Self.image(instruction)))
        #expect(bundle.programs[0].instructions.first == instruction)
        #expect(bundle.programs[0].instruction(at: 0) == instruction)
        #expect(bundle.instructions(ofFlow: 0).first == decoded)

        // Disassemble: the opcode's name, then its operands.
        let line = Disassembler.line(bundle, flow: 0, offset: 0)
        #expect(line.hasPrefix(opcode.name))
        #expect(line == opcode.name + (instruction.operands.isEmpty ? "" : " " + Self.rendered(instruction, bundle)))
        #expect(Disassembler.disassemble(bundle).contains("  0000  " + opcode.name.padding(toLength: 10, withPad: " ", startingAt: 0)))
    }

    static func rendered(_ instruction: Instruction, _ bundle: VerifiedBundle) -> String {
        instruction.operands.map { Disassembler.render($0, bundle: bundle, flow: bundle.flows[0], nodeAt: [:]) }
            .joined(separator: ", ")
    }

    /// Spot checks of the disassembly of typed operands.
    @Test func disassemblesOperands() throws {
        func line(_ i: Instruction) throws -> String {
            Disassembler.line(try Bundle.load(BundleWriter.write(Self.image(i))), flow: 0, offset: 0)
        }
        #expect(try line(Self.sample(.say)) == "SAY \"hello${account}\", \"alice\", \"en-GB\"")
        #expect(try line(Self.sample(.queueSay)) == "QSAY \"${answer}hi\", -, \"en-GB\"")
        #expect(try line(Self.sample(.onKey)) == "ONKEY '*', L0")
        #expect(try line(Self.sample(.waitDigits)) == "WAITDIGITS 2, 6, '#', 7000, 4000, \"^1[0-9]{3}$\", 1")
        #expect(try line(Self.sample(.transfer)) == "TRANSFER sip, \"hello${account}\", \"${answer}hi\", 30000, \"^1[0-9]{3}$\", L0")
    }

    /// Decoding rejects a wrong value in each operand position as before (the verifier's messages).
    @Test func decodingChecksEachOperandByItsKind() {
        let limits = OperandLimits(strings: 3, variables: 2, slots: 1, flows: 1, schedules: 0, codeLength: 4)
        func refusal(_ bytes: [UInt8]) -> String {
            do {
                _ = try InstructionDecoder.decode(bytes, at: 0, limits: limits, flowName: "f")
                return "accepted"
            } catch { return error.description }
        }
        #expect(refusal([Opcode.set.rawValue, 2, 0]) == "bundle is malformed: flow 'f' at 0: variable index 2 out of range (2 available)")
        #expect(refusal([Opcode.onKey.rawValue, 12, 0]) == "bundle is malformed: flow 'f' at 0: key 12 out of range (12 available)")
        #expect(refusal([Opcode.play.rawValue, 3, 0]) == "bundle is malformed: flow 'f' at 0: constant index 3 out of range (3 available)")
        #expect(refusal([Opcode.jump.rawValue]) == "bundle is truncated: flow 'f' at 0")
    }
}
