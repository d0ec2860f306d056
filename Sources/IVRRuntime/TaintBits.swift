/// One bit per variable of a flow's table: set when the variable holds a
/// value made from a sensitive one (a `sensitive: true` capture, or a `set`
/// that interpolated such a value, directly or through other `set`s).
///
/// The first 64 variables live in one word inside the call's state; the
/// array of further words stays empty (no allocation) for flows of at most
/// 64 variables, which is nearly every flow.
struct TaintBits: Equatable {
    private var low: UInt64 = 0
    private var rest: [UInt64] = []

    init() {}

    subscript(_ i: Int) -> Bool {
        get {
            if i < 64 { return low & (1 << UInt64(i)) != 0 }
            let w = i / 64 - 1
            return w < rest.count && rest[w] & (1 << UInt64(i % 64)) != 0
        }
        set {
            if i < 64 {
                if newValue { low |= 1 << UInt64(i) } else { low &= ~(1 << UInt64(i)) }
                return
            }
            let w = i / 64 - 1
            if w >= rest.count {
                guard newValue else { return }
                rest.append(contentsOf: repeatElement(0, count: w + 1 - rest.count))
            }
            if newValue { rest[w] |= 1 << UInt64(i % 64) } else { rest[w] &= ~(1 << UInt64(i % 64)) }
        }
    }

    /// Whether no variable is tainted (the common case: a check per use is one compare).
    var isEmpty: Bool { low == 0 && rest.allSatisfy { $0 == 0 } }

    /// Clears every bit from `first` on (the user variables of a flow the call leaves).
    mutating func clear(from first: Int) {
        if first < 64 {
            low &= first == 0 ? 0 : (1 << UInt64(first)) - 1
            rest.removeAll()
            return
        }
        let w = first / 64 - 1
        guard w < rest.count else { return }
        rest[w] &= (1 << UInt64(first % 64)) - 1
        rest.removeSubrange((w + 1)...)
    }
}
