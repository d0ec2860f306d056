/// An instruction where it sits in its flow's code.
public struct DecodedInstruction: Sendable, Equatable {
    /// Where it starts, relative to the flow's code.
    public var offset: Int
    /// Encoded size in bytes.
    public var length: Int
    public var instruction: Instruction

    public var opcode: Opcode { instruction.opcode }
    public var operands: [Operand] { instruction.operands }
}

/// What the operands of a flow's code may refer to.
public struct OperandLimits: Sendable {
    public var strings: Int
    public var variables: Int
    public var slots: Int
    public var flows: Int
    public var schedules: Int
    public var codeLength: Int

    public init(strings: Int, variables: Int, slots: Int, flows: Int, schedules: Int, codeLength: Int) {
        self.strings = strings
        self.variables = variables
        self.slots = slots
        self.flows = flows
        self.schedules = schedules
        self.codeLength = codeLength
    }

    init(image: BundleImage, flow: FlowImage) {
        self.init(strings: image.strings.count, variables: flow.variables.count, slots: flow.slots,
                  flows: image.flows.count, schedules: flow.schedules.count, codeLength: flow.code.count)
    }
}

/// Decodes instructions, each operand by the kind of its type in the
/// `Instruction` case, checking every index against `limits`. Labels are
/// only checked to lie inside the code here; `Verifier` checks they start
/// an instruction.
public enum InstructionDecoder {
    public static func decode(_ code: [UInt8], at offset: Int, limits: OperandLimits,
                              flowName: String) throws(BundleError) -> DecodedInstruction {
        var source = ByteSource(reader: ByteReader(code, from: offset, to: code.count, what: "flow '\(flowName)' at \(offset)"),
                                limits: limits)
        let byte = try source.reader.byte()
        guard let opcode = Opcode(rawValue: byte) else {
            throw .badCode(flow: flowName, offset: offset, "unknown opcode 0x\(String(byte, radix: 16))")
        }
        let instruction = try Instruction.read(opcode, from: &source)
        return DecodedInstruction(offset: offset, length: source.reader.position - offset, instruction: instruction)
    }

    private struct ByteSource: OperandSource {
        var reader: ByteReader
        let limits: OperandLimits

        mutating func next<T: OperandValue>(_ type: T.Type) throws(BundleError) -> T {
            let operand = try reader.operand(T.kind, limits)
            // NOTE: unreachable: `operand(kind)` returns an operand of that kind.
            guard let value = T(operand) else { throw .malformed("\(reader.what): operand is not a \(T.kind)") }
            return value
        }
    }
}
