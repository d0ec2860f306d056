import IVRSyntax

/// Collects typed instructions with symbolic labels and lays them out. Labels are
/// LEB128 like every other integer, so an instruction's size depends on where
/// its target lands: `finish` starts from one-byte labels and grows them until
/// every offset is stable (offsets only grow, so sizes only grow, and this ends).
struct Assembler {
    struct Label: Hashable { fileprivate let id: Int }

    private struct Pending {
        var opcode: Opcode
        /// The instruction's operands; `.label` operands hold label ids until layout.
        var operands: [Operand]
        var location: SourceLocation?
    }

    private var pending: [Pending] = []
    /// Label id -> index of the instruction it precedes.
    private var bound: [Int: Int] = [:]
    private var labelCount = 0
    /// The source position given to instructions emitted from now on.
    var location: SourceLocation?

    mutating func newLabel() -> Label {
        labelCount += 1
        return Label(id: labelCount - 1)
    }

    mutating func bind(_ label: Label) { bound[label.id] = pending.count }

    /// The label of the next instruction.
    mutating func here() -> Label {
        let l = newLabel()
        bind(l)
        return l
    }

    /// Index of the next instruction (for `offset(ofInstruction:)` after layout).
    var nextIndex: Int { pending.count }

    mutating func emit(_ instruction: Instruction) {
        let (opcode, operands) = instruction.parts
        pending.append(Pending(opcode: opcode, operands: operands, location: location))
    }

    /// The operand of an instruction that jumps to `l` (an offset once laid out).
    static func target(_ l: Label) -> JumpTarget { JumpTarget(l.id) }

    /// Lays out and encodes. Returns the code, each instruction's offset (plus
    /// one past the end), each label's offset, and the debug entries.
    func finish() -> (code: [UInt8], offsets: [Int], labels: [Label: Int], debug: [DebugInfo.Entry]) {
        var sizes = pending.map { encode($0, labelOffsets: nil).count }
        var offsets: [Int] = []
        while true {
            offsets = [0]
            for s in sizes { offsets.append(offsets[offsets.count - 1] + s) }
            let labelOffsets = bound.mapValues { offsets[$0] }
            let newSizes = pending.map { encode($0, labelOffsets: labelOffsets).count }
            if newSizes == sizes { break }
            sizes = newSizes
        }
        let labelOffsets = bound.mapValues { offsets[$0] }
        var code: [UInt8] = []
        var debug: [DebugInfo.Entry] = []
        for (i, p) in pending.enumerated() {
            let bytes = encode(p, labelOffsets: labelOffsets)
            if let loc = p.location, debug.last.map({ $0.line != loc.line || $0.column != loc.column }) ?? true {
                debug.append(DebugInfo.Entry(offset: offsets[i], line: loc.line, column: loc.column))
            }
            code += bytes
        }
        var labels: [Label: Int] = [:]
        for (id, index) in bound { labels[Label(id: id)] = offsets[index] }
        return (code, offsets, labels, debug)
    }

    private func encode(_ p: Pending, labelOffsets: [Int: Int]?) -> [UInt8] {
        var w = ByteWriter()
        w.byte(p.opcode.rawValue)
        for operand in p.operands {
            if case .label(let id) = operand {
                w.leb(labelOffsets?[id] ?? 0)
            } else {
                w.operand(operand)
            }
        }
        return w.bytes
    }
}
