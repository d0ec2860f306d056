/// Runs a `PatternProgram` over a string by simulating every NFA thread in
/// lock step (Thompson's construction, Pike's VM without captures): each input
/// scalar is looked at once, and each instruction at most once per position,
/// so matching is O(length × program size) whatever the pattern.
struct PatternMatcher {
    let program: PatternProgram
    private(set) var current: SparseSet
    private var next: SparseSet
    private var stack: [Int32] = []

    init(_ program: PatternProgram) {
        self.program = program
        current = SparseSet(capacity: program.code.count)
        next = SparseSet(capacity: program.code.count)
        stack.reserveCapacity(program.code.count)
    }

    /// Whether the pattern matches somewhere in `s` (the program searches).
    /// Stops at the first position where a match ends: the loop after the
    /// pattern accepts whatever follows.
    mutating func matches(_ s: String) -> Bool {
        let view = s.unicodeScalars
        var index = view.startIndex
        start(atEnd: index == view.endIndex)
        if current.contains(program.found) { return true }
        while index != view.endIndex {
            let scalar = view[index]
            view.formIndex(after: &index)
            step(scalar.value, atEnd: index == view.endIndex)
            if current.contains(program.found) { return true }
            if current.isEmpty { return false }
        }
        return isAccepting
    }

    /// Begins a run at position 0.
    mutating func start(atEnd: Bool) {
        current.removeAll()
        Self.addThread(0, to: &current, in: program.code, stack: &stack, atStart: true, atEnd: atEnd)
    }

    /// Consumes one scalar.
    mutating func step(_ value: UInt32, atEnd: Bool) {
        next.removeAll()
        let code = program.code
        let classes = program.classes
        for k in 0..<current.count {
            let pc = current[k]
            let instruction = code[Int(pc)]
            if instruction.op == .char, classes[Int(instruction.a)].contains(value) {
                Self.addThread(pc + 1, to: &next, in: code, stack: &stack, atStart: false, atEnd: atEnd)
            }
        }
        swap(&current, &next)
    }

    /// Whether a thread has reached `match`.
    var isAccepting: Bool {
        (0..<current.count).contains { program.code[Int(current[$0])].op == .match }
    }

    /// Adds `pc` and everything reachable from it without consuming input.
    /// Every visited instruction stays in the set (`char` and `match` are the
    /// live threads; a blocked anchor is kept for the automaton queries).
    static func addThread(
        _ pc: Int32, to set: inout SparseSet, in code: [PatternProgram.Instruction], stack: inout [Int32],
        atStart: Bool, atEnd: Bool
    ) {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard set.insert(pc) else { continue }
            let instruction = code[Int(pc)]
            switch instruction.op {
            case .char, .match: break
            case .jump: stack.append(instruction.a)
            case .split:
                stack.append(instruction.b)
                stack.append(instruction.a)
            case .assertStart: if atStart { stack.append(pc + 1) }
            case .assertEnd: if atEnd { stack.append(pc + 1) }
            }
        }
    }
}

/// A set of small integers with O(1) insert, membership and clear
/// (Briggs & Torczon), iterated in insertion order.
struct SparseSet {
    private var dense: [Int32]
    private var sparse: [Int32]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    var isEmpty: Bool { count == 0 }

    subscript(position: Int) -> Int32 { dense[position] }

    func contains(_ value: Int32) -> Bool {
        let slot = Int(sparse[Int(value)])
        return slot < count && dense[slot] == value
    }

    /// Inserts `value`; false when it was already present.
    mutating func insert(_ value: Int32) -> Bool {
        if contains(value) { return false }
        dense[count] = value
        sparse[Int(value)] = Int32(count)
        count += 1
        return true
    }

    mutating func removeAll() { count = 0 }

    var elements: ArraySlice<Int32> { dense[0..<count] }
}
