/// A fixed-size set of small integers, one bit each: the lattice values of
/// the data-flow analyses (variables, menus) and the visited marks of the
/// graph walks.
public struct BitSet: Sendable, Hashable {
    private var words: [UInt64]
    public let capacity: Int

    /// The empty set of `0..<capacity`.
    public init(capacity: Int) {
        self.capacity = capacity
        self.words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// Every member of `0..<capacity`.
    public static func full(capacity: Int) -> BitSet {
        var set = BitSet(capacity: capacity)
        for i in set.words.indices { set.words[i] = ~0 }
        let spare = set.words.count * 64 - capacity
        if spare > 0, !set.words.isEmpty { set.words[set.words.count - 1] >>= UInt64(spare) }
        return set
    }

    public func contains(_ i: Int) -> Bool {
        guard i >= 0, i < capacity else { return false }
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Adds `i`; returns whether it was new.
    @discardableResult
    public mutating func insert(_ i: Int) -> Bool {
        guard i >= 0, i < capacity else { return false }
        let mask: UInt64 = 1 << UInt64(i & 63)
        if words[i >> 6] & mask != 0 { return false }
        words[i >> 6] |= mask
        return true
    }

    public mutating func remove(_ i: Int) {
        guard i >= 0, i < capacity else { return }
        words[i >> 6] &= ~(1 << UInt64(i & 63))
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// Adds every member of `other`; returns whether anything was added.
    @discardableResult
    public mutating func formUnion(_ other: BitSet) -> Bool {
        var changed = false
        for i in words.indices where i < other.words.count {
            let merged = words[i] | other.words[i]
            if merged != words[i] { words[i] = merged; changed = true }
        }
        return changed
    }

    /// Keeps only members of `other`; returns whether anything was removed.
    @discardableResult
    public mutating func formIntersection(_ other: BitSet) -> Bool {
        var changed = false
        for i in words.indices {
            let kept = i < other.words.count ? words[i] & other.words[i] : 0
            if kept != words[i] { words[i] = kept; changed = true }
        }
        return changed
    }

    /// Keeps the members of exactly one of the two sets.
    public mutating func formSymmetricDifference(_ other: BitSet) {
        for i in words.indices where i < other.words.count { words[i] ^= other.words[i] }
    }

    /// The number of members.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The members, ascending.
    public var members: [Int] {
        var out: [Int] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                out.append(w * 64 + bit)
                bits &= bits - 1
            }
        }
        return out
    }
}
