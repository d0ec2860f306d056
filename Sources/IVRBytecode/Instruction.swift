/// A decoded operand. Indices are already checked against the flow's tables
/// when decoded through `InstructionDecoder` with limits.
public enum Operand: Sendable, Equatable {
    case uint(UInt64)
    case string(Int)
    case optString(Int?)
    case variable(Int)
    case optVariable(Int?)
    case slot(Int)
    case label(Int)
    case key(Character)
    case optKey(Character?)
    case text([TextPart])
    case optText([TextPart]?)
    case flow(Int)
    case destination(Int)
    case expression(CodeExpression)
}

/// One piece of interpolated text: a constant or a variable's value.
public enum TextPart: Sendable, Equatable {
    case constant(Int)
    case variable(Int)

    var encoded: UInt64 {
        switch self {
        case .constant(let i): UInt64(i) << 1
        case .variable(let i): UInt64(i) << 1 | 1
        }
    }
}

/// One decoded instruction.
public struct Instruction: Sendable, Equatable {
    public var offset: Int
    public var opcode: Opcode
    public var operands: [Operand]
    /// Encoded size in bytes.
    public var length: Int
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

/// Decodes instructions by the shared opcode table, checking every index
/// against `limits`. Labels are only checked to lie inside the code here;
/// `Verifier` checks they start an instruction.
public enum InstructionDecoder {
    public static func decode(_ code: [UInt8], at offset: Int, limits: OperandLimits, flowName: String) throws(BundleError) -> Instruction {
        var r = ByteReader(code, from: offset, to: code.count, what: "flow '\(flowName)' at \(offset)")
        let byte = try r.byte()
        guard let opcode = Opcode(rawValue: byte) else {
            throw .badCode(flow: flowName, offset: offset, "unknown opcode 0x\(String(byte, radix: 16))")
        }
        var operands: [Operand] = []
        operands.reserveCapacity(opcode.operands.count)
        for kind in opcode.operands {
            operands.append(try operand(kind, &r, limits))
        }
        return Instruction(offset: offset, opcode: opcode, operands: operands, length: r.position - offset)
    }

    private static func operand(_ kind: OperandKind, _ r: inout ByteReader, _ l: OperandLimits) throws(BundleError) -> Operand {
        switch kind {
        case .uint: return .uint(try r.leb())
        case .string: return .string(try r.index(below: l.strings, "constant index"))
        case .optString: return .optString(try r.optionalIndex(below: l.strings, "constant index"))
        case .variable: return .variable(try r.index(below: l.variables, "variable index"))
        case .optVariable: return .optVariable(try r.optionalIndex(below: l.variables, "variable index"))
        case .slot: return .slot(try r.index(below: l.slots, "attempt counter"))
        case .label: return .label(try r.index(below: l.codeLength, "jump target"))
        case .key: return .key(KeyCode.decode(UInt64(try r.index(below: 12, "key"))) ?? "0")
        case .optKey:
            let k = try r.index(below: 13, "key")
            return .optKey(k == 0 ? nil : KeyCode.decode(UInt64(k - 1)))
        case .text: return .text(try text(&r, l))
        case .optText:
            let present = try r.index(below: 2, "optional text flag")
            return .optText(present == 1 ? try text(&r, l) : nil)
        case .flow: return .flow(try r.index(below: l.flows, "flow index"))
        case .destination: return .destination(try r.index(below: DestinationKind.allCases.count, "destination kind"))
        case .expression: return .expression(try ExpressionCode.decode(&r, l, depth: 0))
        }
    }

    private static func text(_ r: inout ByteReader, _ l: OperandLimits) throws(BundleError) -> [TextPart] {
        let n = try r.count("text part")
        var parts: [TextPart] = []
        for _ in 0..<n {
            let v = try r.leb()
            let index = Int(truncatingIfNeeded: v >> 1)
            if v & 1 == 1 {
                guard index < l.variables else { throw .outOfRange("\(r.what): variable index \(index) out of range (\(l.variables) available)") }
                parts.append(.variable(index))
            } else {
                guard index < l.strings else { throw .outOfRange("\(r.what): constant index \(index) out of range (\(l.strings) available)") }
                parts.append(.constant(index))
            }
        }
        return parts
    }
}

extension ByteWriter {
    /// Writes interpolated text as the `.text` operand kind.
    public mutating func text(_ parts: [TextPart]) {
        leb(parts.count)
        for p in parts { leb(p.encoded) }
    }
}
