/// One flow's code as the verifier decoded it, once, at load: the typed
/// instructions in order and where each starts. The interpreter executes
/// these; it never reads the code's bytes. Offsets (jump targets, entry,
/// nodes) stay byte offsets, as in the bundle, the disassembly and traces.
///
/// One reference wide, so a `CallVM` holding its flow's program is no
/// bigger than one holding the code's bytes.
public struct FlowProgram: Sendable {
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let instructions: [Instruction]
        @usableFromInline let offsets: [Int]
        /// Instruction index by code offset; -1 inside an instruction.
        @usableFromInline let indexAt: [Int32]

        init(instructions: [Instruction], offsets: [Int], indexAt: [Int32]) {
            self.instructions = instructions
            self.offsets = offsets
            self.indexAt = indexAt
        }
    }

    @usableFromInline let storage: Storage

    /// `instructions` in order, each starting at `offsets[i]`; `offsets` ends with the code's length.
    init(instructions: [Instruction], offsets: [Int]) {
        var indexAt = [Int32](repeating: -1, count: offsets.last ?? 0)
        for (i, offset) in offsets.dropLast().enumerated() { indexAt[offset] = Int32(i) }
        storage = Storage(instructions: instructions, offsets: offsets, indexAt: indexAt)
    }

    @inlinable public var instructions: [Instruction] { storage.instructions }
    /// The offset of each instruction, then the end of the code.
    @inlinable public var offsets: [Int] { storage.offsets }

    /// The index of the instruction that starts at `offset`, if one does.
    @inlinable
    public func index(at offset: Int) -> Int? {
        guard offset >= 0, offset < storage.indexAt.count else { return nil }
        let i = Int(storage.indexAt[offset])
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
