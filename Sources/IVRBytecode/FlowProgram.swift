/// One flow's code as the verifier decoded it, once, at load: the typed
/// instructions in order and where each starts. The interpreter executes
/// these; it never reads the code's bytes. Offsets (jump targets, entry,
/// nodes) stay byte offsets, as in the bundle, the disassembly and traces.
public struct FlowProgram: Sendable {
    public let instructions: [Instruction]
    /// The offset of each instruction, then the end of the code.
    public let offsets: [Int]
    /// Instruction index by code offset; -1 inside an instruction.
    private let indexAt: [Int32]

    init(_ decoded: [DecodedInstruction], codeLength: Int) {
        instructions = decoded.map(\.instruction)
        offsets = decoded.map(\.offset) + [codeLength]
        var indexAt = [Int32](repeating: -1, count: codeLength)
        for (i, d) in decoded.enumerated() { indexAt[d.offset] = Int32(i) }
        self.indexAt = indexAt
    }

    /// The index of the instruction that starts at `offset`, if one does.
    @inline(__always)
    public func index(at offset: Int) -> Int? {
        guard offset >= 0, offset < indexAt.count else { return nil }
        let i = Int(indexAt[offset])
        return i < 0 ? nil : i
    }

    /// The instruction that starts at `offset`, if one does.
    public func instruction(at offset: Int) -> Instruction? { index(at: offset).map { instructions[$0] } }

    /// Every instruction with its offset and length.
    public var decoded: [DecodedInstruction] {
        instructions.indices.map {
            DecodedInstruction(offset: offsets[$0], length: offsets[$0 + 1] - offsets[$0], instruction: instructions[$0])
        }
    }
}
