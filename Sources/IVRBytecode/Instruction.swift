import IVRSyntax

/// One instruction with typed operands: one case per `Opcode`, its
/// associated values are the operands in encoding order. This enum is the
/// declaration of every opcode's operands; `Opcode.info` gives each its
/// name and comment. Everything else derives from the two:
///
/// - decoding (`InstructionDecoder`, run once by the verifier) reads each
///   operand by its type's kind, through `Instruction.read`;
/// - encoding (`ByteWriter.instruction`) and the disassembler walk
///   `operands`, the untyped values in the same order;
/// - `Opcode.operands` (docs/bytecode.md's table) are the kinds `read` asks for.
///
/// The compiler emits these, the verifier checks them and the interpreter
/// executes them (`FlowProgram`). Adding an opcode: docs/architecture.md.
public enum Instruction: Sendable, Equatable {
    case node(StringRef)
    case jump(JumpTarget)
    case hangup
    case say(CodeText, voice: StringRef?, language: StringRef?)
    case play(StringRef, transcript: StringRef?)
    case queueSay(CodeText, voice: StringRef?, language: StringRef?)
    case queuePlay(StringRef, transcript: StringRef?)
    case set(VariableRef, CodeText)
    case menu(SlotRef)
    case attemptReset(SlotRef)
    case ifRetry(SlotRef, short: JumpTarget)
    case waitKey(timeout: UInt64)
    case extendKeys(pattern: StringRef, interDigit: UInt64)
    case waitDigits(min: UInt64, max: UInt64, terminator: DTMFKey?, timeout: UInt64, interDigit: UInt64,
                    pattern: StringRef?, flags: UInt64)
    case onTimeout(JumpTarget)
    case onKey(DTMFKey, JumpTarget)
    case onExtension(pattern: StringRef, JumpTarget)
    case invalid
    case retry(SlotRef, attempts: UInt64, loop: JumpTarget)
    case accept(into: VariableRef, invalid: JumpTarget)
    case back(leaveCurrent: UInt64)
    case top
    case resume
    case transfer(DestinationKind, CodeText, callerID: CodeText?, ringTimeout: UInt64, allow: StringRef?, fail: JumpTarget)
    case transferKeyed(fail: JumpTarget)
    case gotoFlow(FlowRef)
    case webhook(method: UInt64, url: CodeText, body: CodeText?, timeout: UInt64, into: VariableRef?, error: JumpTarget)
    case record(into: VariableRef, max: UInt64, beep: UInt64, finishOn: DTMFKey?, silence: UInt64)
    case branchIfFalse(CodeExpression, JumpTarget)
    case bridgeOptions(via: UInt64, confirm: UInt64, confirmTimeout: UInt64, record: UInt64, maxDuration: UInt64,
                       ringback: UInt64)
    case bridgeMedia(role: UInt64)
    case waitCallee(kind: UInt64, timeout: UInt64)

    /// Builds the instruction of `opcode` from operands taken from `source`,
    /// in order: the case's own constructor says which types it takes.
    static func read<S: OperandSource>(_ opcode: Opcode, from s: inout S) throws(S.Failure) -> Instruction {
        switch opcode {
        case .node: try s.build(Instruction.node)
        case .jump: try s.build(Instruction.jump)
        case .hangup: .hangup
        case .say: try s.build(Instruction.say)
        case .play: try s.build(Instruction.play)
        case .queueSay: try s.build(Instruction.queueSay)
        case .queuePlay: try s.build(Instruction.queuePlay)
        case .set: try s.build(Instruction.set)
        case .menu: try s.build(Instruction.menu)
        case .attemptReset: try s.build(Instruction.attemptReset)
        case .ifRetry: try s.build(Instruction.ifRetry)
        case .waitKey: try s.build(Instruction.waitKey)
        case .extendKeys: try s.build(Instruction.extendKeys)
        case .waitDigits: try s.build(Instruction.waitDigits)
        case .onTimeout: try s.build(Instruction.onTimeout)
        case .onKey: try s.build(Instruction.onKey)
        case .onExtension: try s.build(Instruction.onExtension)
        case .invalid: .invalid
        case .retry: try s.build(Instruction.retry)
        case .accept: try s.build(Instruction.accept)
        case .back: try s.build(Instruction.back)
        case .top: .top
        case .resume: .resume
        case .transfer: try s.build(Instruction.transfer)
        case .transferKeyed: try s.build(Instruction.transferKeyed)
        case .gotoFlow: try s.build(Instruction.gotoFlow)
        case .webhook: try s.build(Instruction.webhook)
        case .record: try s.build(Instruction.record)
        case .branchIfFalse: try s.build(Instruction.branchIfFalse)
        case .bridgeOptions: try s.build(Instruction.bridgeOptions)
        case .bridgeMedia: try s.build(Instruction.bridgeMedia)
        case .waitCallee: try s.build(Instruction.waitCallee)
        }
    }

    /// The opcode and the operands, in encoding order: the inverse of `read`.
    public var parts: (opcode: Opcode, operands: [Operand]) {
        switch self {
        case let .node(a): (.node, [a.operand])
        case let .jump(a): (.jump, [a.operand])
        case .hangup: (.hangup, [])
        case let .say(a, b, c): (.say, [a.operand, b.operand, c.operand])
        case let .play(a, b): (.play, [a.operand, b.operand])
        case let .queueSay(a, b, c): (.queueSay, [a.operand, b.operand, c.operand])
        case let .queuePlay(a, b): (.queuePlay, [a.operand, b.operand])
        case let .set(a, b): (.set, [a.operand, b.operand])
        case let .menu(a): (.menu, [a.operand])
        case let .attemptReset(a): (.attemptReset, [a.operand])
        case let .ifRetry(a, b): (.ifRetry, [a.operand, b.operand])
        case let .waitKey(a): (.waitKey, [a.operand])
        case let .extendKeys(a, b): (.extendKeys, [a.operand, b.operand])
        case let .waitDigits(a, b, c, d, e, f, g):
            (.waitDigits, [a.operand, b.operand, c.operand, d.operand, e.operand, f.operand, g.operand])
        case let .onTimeout(a): (.onTimeout, [a.operand])
        case let .onKey(a, b): (.onKey, [a.operand, b.operand])
        case let .onExtension(a, b): (.onExtension, [a.operand, b.operand])
        case .invalid: (.invalid, [])
        case let .retry(a, b, c): (.retry, [a.operand, b.operand, c.operand])
        case let .accept(a, b): (.accept, [a.operand, b.operand])
        case let .back(a): (.back, [a.operand])
        case .top: (.top, [])
        case .resume: (.resume, [])
        case let .transfer(a, b, c, d, e, f): (.transfer, [a.operand, b.operand, c.operand, d.operand, e.operand, f.operand])
        case let .transferKeyed(a): (.transferKeyed, [a.operand])
        case let .gotoFlow(a): (.gotoFlow, [a.operand])
        case let .webhook(a, b, c, d, e, f): (.webhook, [a.operand, b.operand, c.operand, d.operand, e.operand, f.operand])
        case let .record(a, b, c, d, e): (.record, [a.operand, b.operand, c.operand, d.operand, e.operand])
        case let .branchIfFalse(a, b): (.branchIfFalse, [a.operand, b.operand])
        case let .bridgeOptions(a, b, c, d, e, f):
            (.bridgeOptions, [a.operand, b.operand, c.operand, d.operand, e.operand, f.operand])
        case let .bridgeMedia(a): (.bridgeMedia, [a.operand])
        case let .waitCallee(a, b): (.waitCallee, [a.operand, b.operand])
        }
    }

    public var opcode: Opcode { parts.opcode }
    public var operands: [Operand] { parts.operands }

    /// The operand kinds of `opcode`, in order: what `read` asks for.
    static func operandKinds(of opcode: Opcode) -> [OperandKind] {
        var recorder = OperandKindRecorder()
        _ = read(opcode, from: &recorder)
        return recorder.kinds
    }
}

/// Where `Instruction.read` takes operands from: the bytes of a flow
/// (`InstructionDecoder`), or nothing (`Opcode.operands`, which only records kinds).
protocol OperandSource {
    associatedtype Failure: Error
    mutating func next<T: OperandValue>(_ type: T.Type) throws(Failure) -> T
}

/// `build` calls a case's constructor with one operand of each of its
/// types, read in order. One overload per arity rather than a parameter
/// pack: plain generics are specialized, so decoding at load stays as fast
/// as a hand-written walk.
extension OperandSource {
    mutating func build<A: OperandValue>(_ make: (A) -> Instruction) throws(Failure) -> Instruction {
        make(try next(A.self))
    }

    mutating func build<A: OperandValue, B: OperandValue>(_ make: (A, B) -> Instruction) throws(Failure) -> Instruction {
        let a = try next(A.self)
        return make(a, try next(B.self))
    }

    mutating func build<A: OperandValue, B: OperandValue, C: OperandValue>(
        _ make: (A, B, C) -> Instruction) throws(Failure) -> Instruction {
        let a = try next(A.self), b = try next(B.self)
        return make(a, b, try next(C.self))
    }

    mutating func build<A: OperandValue, B: OperandValue, C: OperandValue, D: OperandValue, E: OperandValue>(
        _ make: (A, B, C, D, E) -> Instruction) throws(Failure) -> Instruction {
        let a = try next(A.self), b = try next(B.self), c = try next(C.self), d = try next(D.self)
        return make(a, b, c, d, try next(E.self))
    }

    mutating func build<A: OperandValue, B: OperandValue, C: OperandValue, D: OperandValue, E: OperandValue,
                        F: OperandValue>(_ make: (A, B, C, D, E, F) -> Instruction) throws(Failure) -> Instruction {
        let a = try next(A.self), b = try next(B.self), c = try next(C.self), d = try next(D.self)
        let e = try next(E.self)
        return make(a, b, c, d, e, try next(F.self))
    }

    mutating func build<A: OperandValue, B: OperandValue, C: OperandValue, D: OperandValue, E: OperandValue,
                        F: OperandValue, G: OperandValue>(_ make: (A, B, C, D, E, F, G) -> Instruction) throws(Failure) -> Instruction {
        let a = try next(A.self), b = try next(B.self), c = try next(C.self), d = try next(D.self)
        let e = try next(E.self), f = try next(F.self)
        return make(a, b, c, d, e, f, try next(G.self))
    }
}

private struct OperandKindRecorder: OperandSource {
    var kinds: [OperandKind] = []

    mutating func next<T: OperandValue>(_ type: T.Type) -> T {
        kinds.append(T.kind)
        return T.placeholder
    }
}

extension ByteWriter {
    /// Encodes an instruction (its labels must be offsets).
    public mutating func instruction(_ instruction: Instruction) {
        let (opcode, operands) = instruction.parts
        byte(opcode.rawValue)
        for o in operands { operand(o) }
    }
}
