/// Bracket classes (`[a-z]`, `[^#*]`) and backslash escapes, inside and
/// outside brackets.
extension PatternParser {
    /// Parses after `[` up to and including `]`.
    mutating func parseClass(openedAt start: Int) throws(PatternError) -> PatternNode {
        var negated = false
        if peek == "^" {
            negated = true
            i += 1
        }
        if peek == "]" {
            throw PatternError("empty character class '\(negated ? "[^]" : "[]")'; write '\\]' for a literal ']'", offset: start)
        }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let c = peek else {
                throw PatternError("missing ']' to close '[' at character \(start + 1)", offset: scalars.count)
            }
            if c == "]" {
                i += 1
                break
            }
            let itemStart = i
            let low = try parseClassItem()
            // `a-z`, unless the '-' is the last thing before ']'.
            if peek == "-", let after = peek(1), after != "]" {
                i += 1
                let highStart = i
                let high = try parseClassItem()
                guard let lo = low.single, let hi = high.single else {
                    let bad = low.single == nil ? itemStart : highStart
                    throw PatternError("a class escape like '\\d' cannot be the end of a range", offset: bad)
                }
                guard lo <= hi else {
                    throw PatternError(
                        "range '\(Character(Unicode.Scalar(lo) ?? "?"))-\(Character(Unicode.Scalar(hi) ?? "?"))' is out of order",
                        offset: itemStart)
                }
                ranges.append(lo...hi)
            } else {
                ranges.append(contentsOf: low.ranges)
            }
        }
        return .set(CharClass(ranges: negated ? CharClass.complement(of: ranges) : ranges))
    }

    /// One member of a bracket class: a scalar or a class escape.
    private mutating func parseClassItem() throws(PatternError) -> (ranges: [ClosedRange<UInt32>], single: UInt32?) {
        let at = i
        let c = scalars[i]
        i += 1
        guard c == "\\" else { return ([c.value...c.value], c.value) }
        let set = try parseEscape(inClass: true, backslashAt: at)
        let ranges = set.ranges
        if ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound {
            return (ranges, ranges[0].lowerBound)
        }
        return (ranges, nil)
    }

    /// Parses after a backslash at `backslashAt`.
    mutating func parseEscape(inClass: Bool, backslashAt at: Int) throws(PatternError) -> CharClass {
        guard let c = peek else {
            throw PatternError("pattern ends with a lone '\\'", offset: at)
        }
        i += 1
        switch c {
        case "d": return CharClass(ranges: CharClass.digitRanges)
        case "D": return CharClass(ranges: CharClass.complement(of: CharClass.digitRanges))
        case "w": return CharClass(ranges: CharClass.wordRanges)
        case "W": return CharClass(ranges: CharClass.complement(of: CharClass.wordRanges))
        case "s": return CharClass(ranges: CharClass.spaceRanges)
        case "S": return CharClass(ranges: CharClass.complement(of: CharClass.spaceRanges))
        case "t": return CharClass("\t")
        case "n": return CharClass("\n")
        case "r": return CharClass("\r")
        case "f": return CharClass("\u{0C}")
        case "v": return CharClass("\u{0B}")
        case "b", "B":
            throw PatternError("word boundary assertions ('\\\(c)') are not supported", offset: at)
        case "1"..."9":
            throw PatternError("backreferences ('\\\(c)') are not supported", offset: at)
        case "k":
            throw PatternError("named backreferences ('\\k') are not supported", offset: at)
        case "A", "Z", "z", "G":
            throw PatternError("anchor '\\\(c)' is not supported; use '^' or '$'", offset: at)
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                throw PatternError("unknown escape '\\\(c)'", offset: at)
            }
            // Any other escaped character stands for itself: \. \+ \* \\ \# ...
            return CharClass(c)
        }
    }
}
