import IVRSyntax

/// What one operand of an instruction is, and so how it is encoded and verified.
/// Every integer is an unsigned LEB128 (see docs/bytecode.md).
public enum OperandKind: Sendable, Equatable {
    /// A plain unsigned integer (milliseconds, counts, flags).
    case uint
    /// A string-pool index.
    case string
    /// 0 for none, else a string-pool index + 1.
    case optString
    /// An index into the flow's variable table.
    case variable
    /// 0 for none, else a variable index + 1.
    case optVariable
    /// An index into the flow's attempt counters.
    case slot
    /// A code offset inside the flow; must start an instruction.
    case label
    /// A DTMF key, 0-9, 10 = `*`, 11 = `#`.
    case key
    /// 0 for none, else a key + 1.
    case optKey
    /// Interpolated text: a count, then parts `(index << 1) | isVariable`.
    case text
    /// 0 for none, else interpolated text follows (as `.text`).
    case optText
    /// An index into the flow table.
    case flow
    /// A destination kind (0 number, 1 extension, 2 sip, 3 conference, 4 group, 5 app).
    case destination
    /// A condition tree in prefix form (see `ExpressionCode`).
    case expression
}

/// One operand as an untyped value, whatever its instruction: what the
/// encoder writes, the disassembler prints and generic walks (every label of
/// a flow) read. `Instruction.operands` lists an instruction's operands so.
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

extension Operand {
    /// An operand that is a number under `kind` (`string`, `variable`,
    /// `slot`, `label`, `flow`; `optString`, `optVariable` take nil).
    init(index: Int?, kind: OperandKind) {
        switch kind {
        case .string: self = .string(index ?? 0)
        case .variable: self = .variable(index ?? 0)
        case .slot: self = .slot(index ?? 0)
        case .label: self = .label(index ?? 0)
        case .flow: self = .flow(index ?? 0)
        case .optString: self = .optString(index)
        default: self = .optVariable(index)
        }
    }

    /// The number of an operand of `kind`; nil when it is of another kind.
    func index(of kind: OperandKind) -> Int? {
        switch (self, kind) {
        case (.string(let i), .string), (.variable(let i), .variable), (.slot(let i), .slot),
             (.label(let i), .label), (.flow(let i), .flow): i
        default: nil
        }
    }

    /// The optional number of an operand of `kind` (`optString`, `optVariable`);
    /// `.some(nil)` for none, nil when it is of another kind.
    func optionalIndex(of kind: OperandKind) -> Int?? {
        switch (self, kind) {
        case (.optString(let i), .optString), (.optVariable(let i), .optVariable): .some(i)
        default: nil
        }
    }
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

extension ByteWriter {
    /// Encodes one operand by its kind (labels must already be offsets).
    public mutating func operand(_ operand: Operand) {
        switch operand {
        case .uint(let v): leb(v)
        case .string(let i), .variable(let i), .slot(let i), .label(let i), .flow(let i), .destination(let i): leb(i)
        case .optString(let i), .optVariable(let i): leb(optional: i)
        case .key(let k): leb(KeyCode.encode(k))
        case .optKey(let k): leb(k.map { KeyCode.encode($0) + 1 } ?? 0)
        case .text(let parts): text(parts)
        case .optText(let parts):
            if let parts { byte(1); text(parts) } else { byte(0) }
        case .expression(let e): ExpressionCode.encode(e, into: &self)
        }
    }

    /// Writes interpolated text as the `.text` operand kind.
    public mutating func text(_ parts: [TextPart]) {
        leb(parts.count)
        for p in parts { leb(p.encoded) }
    }
}

extension ByteReader {
    /// Decodes one operand of `kind`, checking every index against `l`.
    /// Labels are only checked to lie inside the code here; `Verifier`
    /// checks they start an instruction.
    mutating func operand(_ kind: OperandKind, _ l: OperandLimits) throws(BundleError) -> Operand {
        switch kind {
        case .uint: return .uint(try leb())
        case .string: return .string(try index(below: l.strings, "constant index"))
        case .optString: return .optString(try optionalIndex(below: l.strings, "constant index"))
        case .variable: return .variable(try index(below: l.variables, "variable index"))
        case .optVariable: return .optVariable(try optionalIndex(below: l.variables, "variable index"))
        case .slot: return .slot(try index(below: l.slots, "attempt counter"))
        case .label: return .label(try index(below: l.codeLength, "jump target"))
        case .key: return .key(KeyCode.decode(UInt64(try index(below: 12, "key"))) ?? "0")
        case .optKey:
            let k = try index(below: 13, "key")
            return .optKey(k == 0 ? nil : KeyCode.decode(UInt64(k - 1)))
        case .text: return .text(try text(l))
        case .optText:
            let present = try index(below: 2, "optional text flag")
            return .optText(present == 1 ? try text(l) : nil)
        case .flow: return .flow(try index(below: l.flows, "flow index"))
        case .destination: return .destination(try index(below: DestinationKind.allCases.count, "destination kind"))
        case .expression: return .expression(try ExpressionCode.decode(&self, l, depth: 0))
        }
    }

    private mutating func text(_ l: OperandLimits) throws(BundleError) -> [TextPart] {
        let n = try count("text part")
        var parts: [TextPart] = []
        for _ in 0..<n {
            let v = try leb()
            let index = Int(truncatingIfNeeded: v >> 1)
            if v & 1 == 1 {
                guard index < l.variables else { throw .outOfRange("\(what): variable index \(index) out of range (\(l.variables) available)") }
                parts.append(.variable(index))
            } else {
                guard index < l.strings else { throw .outOfRange("\(what): constant index \(index) out of range (\(l.strings) available)") }
                parts.append(.constant(index))
            }
        }
        return parts
    }
}
