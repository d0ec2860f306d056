/// A set of Unicode scalars that one pattern step can consume: a literal, `.`,
/// an escape like `\d`, or a bracket class. ASCII membership is a 128-bit map
/// (the common case, digits and keys, costs one shift); the rest is a sorted
/// list of disjoint ranges.
struct CharClass: Sendable, Hashable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Disjoint, sorted ranges of scalars at or above 128.
    private var wide: [ClosedRange<UInt32>] = []

    static let maxScalar: UInt32 = 0x10FFFF

    /// The class holding exactly the scalars in `ranges` (in any order, may overlap).
    init(ranges: [ClosedRange<UInt32>]) {
        for r in ranges where r.lowerBound < 128 {
            for v in r.lowerBound...min(r.upperBound, 127) { insertASCII(v) }
        }
        let sorted = ranges.filter { $0.upperBound >= 128 }
            .map { max($0.lowerBound, 128)...$0.upperBound }
            .sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        wide = merged
    }

    init(_ scalar: Unicode.Scalar) {
        self.init(ranges: [scalar.value...scalar.value])
    }

    private mutating func insertASCII(_ v: UInt32) {
        if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
    }

    @inline(__always)
    func contains(_ v: UInt32) -> Bool {
        if v < 64 { return low & (1 << UInt64(v)) != 0 }
        if v < 128 { return high & (1 << UInt64(v - 64)) != 0 }
        var lo = 0
        var hi = wide.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if wide[mid].upperBound < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < wide.count && wide[lo].contains(v)
    }

    /// Every scalar of the class as ranges (ASCII first), for complementing.
    var ranges: [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var v: UInt32 = 0
        while v < 128 {
            if contains(v) {
                let start = v
                while v < 128, contains(v) { v += 1 }
                result.append(start...(v - 1))
            } else {
                v += 1
            }
        }
        return result + wide
    }

    /// The scalars not in `ranges`.
    static func complement(of ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = CharClass(ranges: ranges).ranges
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in sorted {
            if r.lowerBound > next { result.append(next...(r.lowerBound - 1)) }
            next = max(next, r.upperBound &+ 1)
        }
        if next <= maxScalar { result.append(next...maxScalar) }
        return result
    }

    // MARK: Predefined sets

    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    static let spaceRanges: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
    /// `.`: anything but a line break.
    static let dotRanges: [ClosedRange<UInt32>] = complement(of: [0x0A...0x0A, 0x0D...0x0D])
}
