import IVRBytecode

/// The baseline for the cost of an instruction: a bare loop that decodes the
/// instructions a call executed — opcode byte, every LEB128 operand, text
/// parts, conditions skipped — and does nothing else. What the interpreter
/// costs above this is the cost of executing.
struct DecodeBaseline {
    /// Operand kinds by opcode byte, read once from the shared opcode table.
    let operands: [[OperandKind]]
    let codes: [[UInt8]]

    init(_ bundle: VerifiedBundle) {
        var table = Array(repeating: [OperandKind](), count: 256)
        for op in Opcode.allCases { table[Int(op.rawValue)] = op.operands }
        operands = table
        codes = bundle.flows.map(\.code)
    }

    /// Decodes every instruction of the trace; returns a checksum of the operands.
    func decode(_ trace: [(flow: Int, pc: Int)]) -> Int {
        var sum = 0
        for (flow, pc) in trace {
            var r = Cursor(code: codes[flow], pc: pc)
            let op = Int(r.byte())
            sum &+= op
            for kind in operands[op] {
                switch kind {
                case .text: sum &+= r.text()
                case .optText: if r.byte() == 1 { sum &+= r.text() }
                case .expression: sum &+= r.skipExpression()
                default: sum &+= r.uint()
                }
            }
        }
        return sum
    }

    struct Cursor {
        let code: [UInt8]
        var pc: Int

        mutating func byte() -> UInt8 {
            defer { pc += 1 }
            return code[pc]
        }

        mutating func uint() -> Int {
            var result = 0, shift = 0
            while true {
                let b = byte()
                result |= Int(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
        }

        mutating func text() -> Int {
            var sum = 0
            for _ in 0..<uint() { sum &+= uint() }
            return sum
        }

        /// Skips a condition (prefix form, docs/bytecode.md); depth is bounded by the verifier.
        mutating func skipExpression() -> Int {
            let tag = byte()
            switch tag {
            case 0, 4, 8: return uint()
            case 1: pc += 8; return 1
            case 5: return skipExpression()
            case 6: _ = byte(); return skipExpression() &+ skipExpression()
            case 7:
                _ = byte()
                var sum = 0
                for _ in 0..<uint() { sum &+= skipExpression() }
                return sum
            default: return Int(tag)
            }
        }
    }
}
