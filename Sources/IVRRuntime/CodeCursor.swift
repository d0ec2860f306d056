import IVRBytecode

/// Reads operands of verified code. The verifier proved every instruction
/// decodes inside the code, so reads here need no error paths; Swift's own
/// array bounds checks remain as a last line of defence.
struct CodeCursor {
    let code: [UInt8]
    var pc: Int

    mutating func byte() -> UInt8 {
        defer { pc += 1 }
        return code[pc]
    }

    mutating func uint() -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = byte()
            if shift < 64 { result |= UInt64(b & 0x7F) << shift }
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int(truncatingIfNeeded: min(result, UInt64(Int.max)))
    }

    /// An optional index: 0 is none, else index + 1.
    mutating func optional() -> Int? {
        let v = uint()
        return v == 0 ? nil : v - 1
    }

    mutating func key() -> Character { KeyCode.decode(UInt64(uint())) ?? "0" }

    mutating func optKey() -> Character? {
        let v = uint()
        return v == 0 ? nil : KeyCode.decode(UInt64(v - 1))
    }

    /// Text parts: (index, isVariable).
    mutating func text() -> [(index: Int, isVariable: Bool)] {
        let n = uint()
        var parts: [(Int, Bool)] = []
        parts.reserveCapacity(n)
        for _ in 0..<n {
            let v = uint()
            parts.append((v >> 1, v & 1 == 1))
        }
        return parts
    }

    mutating func optText() -> [(index: Int, isVariable: Bool)]? {
        byte() == 1 ? text() : nil
    }

    /// Skips a condition, returning its start so it can be decoded in full.
    mutating func expression() -> CodeExpression {
        var r = ByteReader(code, from: pc, to: code.count, what: "condition")
        let limits = OperandLimits(strings: .max, variables: .max, slots: .max, flows: .max, schedules: .max, codeLength: .max)
        // NOTE: verified code decodes; a failure here would be a verifier bug, so it reads as false.
        let e = (try? ExpressionCode.decode(&r, limits)) ?? .bool(false)
        pc = r.position
        return e
    }
}
