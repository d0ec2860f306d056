/// A pattern compiled to a Thompson NFA, laid out as a flat instruction list
/// (Pike-VM style): `char` consumes one scalar of a class and continues at the
/// next instruction; `split`, `jump` and the anchors move without consuming.
///
/// ```
/// a|b      split L1, L2 / L1: char a / jump L3 / L2: char b / L3:
/// e*       L1: split L2, L3 / L2: e / jump L1 / L3:
/// e+       L1: e / split L1, L2 / L2:
/// e{2,4}   e / e / split L1, L4 / L1: e / split L2, L4 / L2: e / L4:
/// ```
///
/// Matching is a search (`Pattern` explains): the pattern `P` is compiled as
/// the whole-string match of `[^]* P [^]*`, where `[^]*` is a loop over any
/// scalar. The anchors keep their positional meaning (`^` only at position
/// 0, `$` only at the end), so `^1` cannot be preceded by anything and
/// `(^a|b$)` anchors each branch on its own. Every automaton query then
/// answers for search semantics with no special case.
///
/// ```
/// 0: split 1, 3 / 1: char any / 2: jump 0 / 3: P... / found: split f+1, f+3
///    f+1: char any / f+2: jump found / f+3: match
/// ```
///
/// Counted repetition is expanded, so the instruction count is capped
/// (`maxInstructions`) to keep compile time and memory bounded.
struct PatternProgram: Sendable {
    enum Op: UInt8, Sendable {
        /// Consume a scalar in `classes[a]`, continue at `pc + 1`.
        case char
        /// Continue at both `a` and `b`.
        case split
        /// Continue at `a`.
        case jump
        /// Continue at `pc + 1` only at position 0.
        case assertStart
        /// Continue at `pc + 1` only at the end of the string.
        case assertEnd
        /// Accept.
        case match
    }

    struct Instruction: Sendable {
        var op: Op
        var a: Int32
        var b: Int32
    }

    static let maxInstructions = 20_000

    private(set) var code: [Instruction] = []
    private(set) var classes: [CharClass] = []
    private var classIndex: [CharClass: Int32] = [:]
    /// The first instruction after the pattern (the loop over the rest of the
    /// string): a thread that reaches it has found a match.
    private(set) var found: Int32 = 0

    init(_ root: PatternNode) throws(PatternError) {
        let any = PatternNode.repetition(.set(CharClass(ranges: [0...CharClass.maxScalar])), min: 0, max: nil, offset: 0)
        try emit(any)
        try emit(root)
        found = pc
        try emit(any)
        append(.match)
        if code.count > Self.maxInstructions {
            throw PatternError("pattern is too long (more than \(Self.maxInstructions) steps)", offset: 0)
        }
    }

    // MARK: Emitting

    private var pc: Int32 { Int32(code.count) }

    @discardableResult
    private mutating func append(_ op: Op, _ a: Int32 = 0, _ b: Int32 = 0) -> Int {
        code.append(Instruction(op: op, a: a, b: b))
        return code.count - 1
    }

    private mutating func emit(_ node: PatternNode) throws(PatternError) {
        switch node {
        case .empty:
            break
        case .set(let set):
            let index: Int32
            if let known = classIndex[set] {
                index = known
            } else {
                index = Int32(classes.count)
                classes.append(set)
                classIndex[set] = index
            }
            append(.char, index)
        case .start:
            append(.assertStart)
        case .end:
            append(.assertEnd)
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = append(.split, pc + 1)
                    try emit(branch)
                    exits.append(append(.jump))
                    code[split].b = pc
                }
            }
            for exit in exits { code[exit].a = pc }
        case .repetition(let body, let min, let max, let offset):
            try emitRepetition(body, min: min, max: max, offset: offset)
        }
    }

    private mutating func emitRepetition(_ body: PatternNode, min: Int, max: Int?, offset: Int) throws(PatternError) {
        // Checked before expanding, so the outermost culprit is blamed.
        if code.count + Self.size(of: .repetition(body, min: min, max: max, offset: offset)) > Self.maxInstructions {
            throw Self.tooLarge(at: offset)
        }
        let copies = max == nil ? Swift.max(min - 1, 0) : min
        for _ in 0..<copies { try emitChecked(body, offset: offset) }
        guard let max else {
            if min == 0 {
                // L1: split L2, L3 / L2: body / jump L1 / L3:
                let loop = append(.split, pc + 1)
                try emitChecked(body, offset: offset)
                append(.jump, Int32(loop))
                code[loop].b = pc
            } else {
                // L1: body / split L1, L2 / L2:
                let top = pc
                try emitChecked(body, offset: offset)
                append(.split, top, pc + 1)
            }
            return
        }
        var exits: [Int] = []
        for _ in 0..<(max - min) {
            exits.append(append(.split, pc + 1))
            try emitChecked(body, offset: offset)
        }
        for exit in exits { code[exit].b = pc }
    }

    private mutating func emitChecked(_ node: PatternNode, offset: Int) throws(PatternError) {
        try emit(node)
        if code.count > Self.maxInstructions { throw Self.tooLarge(at: offset) }
    }

    private static func tooLarge(at offset: Int) -> PatternError {
        PatternError(
            "pattern is too large once its repetitions are expanded (more than \(maxInstructions) steps)",
            offset: offset)
    }

    /// How many instructions `node` compiles to (saturating above the limit).
    private static func size(of node: PatternNode) -> Int {
        let cap = maxInstructions + 1
        switch node {
        case .empty: return 0
        case .set, .start, .end: return 1
        case .concat(let items): return Swift.min(items.reduce(0) { $0 + size(of: $1) }, cap)
        case .alternation(let branches): return Swift.min(branches.reduce(0) { $0 + size(of: $1) + 2 }, cap)
        case .repetition(let body, let min, let max, _):
            let copies = (max ?? min) + 1
            return Swift.min((size(of: body) + 1) * copies + 1, cap)
        }
    }
}
