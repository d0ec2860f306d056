/// Reads pattern source into a `PatternNode`, rejecting what the engine does
/// not support with a message naming the construct.
///
/// Grammar: `alt := concat ('|' concat)*`, `concat := (atom quantifier?)*`,
/// `atom := literal | '.' | class | escape | '(' alt ')' | '(?:' alt ')' | '^' | '$'`.
struct PatternParser {
    /// Largest `m`/`n` in `{m}`, `{m,}` and `{m,n}`.
    static let maxRepetition = 1000
    /// Deepest group nesting (keeps the recursive parser and compiler bounded).
    static let maxNesting = 64

    let scalars: [Unicode.Scalar]
    /// The next scalar to read.
    var i = 0
    private var depth = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    mutating func parse() throws(PatternError) -> PatternNode {
        let node = try parseAlternation()
        if i < scalars.count {
            // parseAlternation stops only at ')' when not inside a group.
            throw PatternError("unmatched ')'", offset: i)
        }
        return node
    }

    var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    func peek(_ ahead: Int) -> Unicode.Scalar? {
        i + ahead < scalars.count ? scalars[i + ahead] : nil
    }

    private mutating func parseAlternation() throws(PatternError) -> PatternNode {
        var branches = [try parseConcat()]
        while peek == "|" {
            i += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(PatternError) -> PatternNode {
        var items: [PatternNode] = []
        while let c = peek, c != "|", c != ")" {
            let atomOffset = i
            let atom = try parseAtom()
            items.append(try parseQuantifiers(atom, atomOffset: atomOffset))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    private mutating func parseAtom() throws(PatternError) -> PatternNode {
        let start = i
        let c = scalars[i]
        i += 1
        switch c {
        case ".": return .set(CharClass(ranges: CharClass.dotRanges))
        case "^": return .start
        case "$": return .end
        case "[": return try parseClass(openedAt: start)
        case "\\": return .set(try parseEscape(inClass: false, backslashAt: start))
        case "(": return try parseGroup(openedAt: start)
        case "*", "+", "?":
            throw PatternError("nothing to repeat before '\(c)'; write '\\\(c)' for a literal '\(c)'", offset: start)
        case "{":
            i = start
            if (try? parseBraces()) != nil {
                throw PatternError("nothing to repeat before '{'", offset: start)
            }
            throw PatternError("'{' does not start a quantifier like {3} or {2,5}; write '\\{' for a literal brace", offset: start)
        default: return .set(CharClass(c))
        }
    }

    private mutating func parseGroup(openedAt start: Int) throws(PatternError) -> PatternNode {
        if peek == "?" {
            switch (peek(1), peek(2)) {
            case (":", _): i += 2
            case ("=", _), ("!", _):
                throw PatternError("lookahead assertions ('(?\(peek(1)!)') are not supported", offset: start)
            case ("<", "="), ("<", "!"):
                throw PatternError("lookbehind assertions ('(?<\(peek(2)!)') are not supported", offset: start)
            case ("<", _):
                throw PatternError("named groups ('(?<name>') are not supported; use '(' or '(?:'", offset: start)
            default:
                throw PatternError("'(?' groups other than '(?:' are not supported", offset: start)
            }
        }
        depth += 1
        if depth > Self.maxNesting {
            throw PatternError("groups are nested more than \(Self.maxNesting) deep", offset: start)
        }
        let inner = try parseAlternation()
        depth -= 1
        guard peek == ")" else {
            throw PatternError("missing ')' to close '(' at character \(start + 1)", offset: scalars.count)
        }
        i += 1
        return inner
    }

    // MARK: Quantifiers

    private mutating func parseQuantifiers(_ atom: PatternNode, atomOffset: Int) throws(PatternError) -> PatternNode {
        guard let c = peek, c == "*" || c == "+" || c == "?" || c == "{" else { return atom }
        let at = i
        let bounds: (min: Int, max: Int?)
        switch c {
        case "*": i += 1; bounds = (0, nil)
        case "+": i += 1; bounds = (1, nil)
        case "?": i += 1; bounds = (0, 1)
        default:
            guard let braces = try parseBraces() else {
                throw PatternError("'{' does not start a quantifier like {3} or {2,5}; write '\\{' for a literal brace", offset: at)
            }
            bounds = braces
        }
        let written = String(String.UnicodeScalarView(scalars[at..<i]))
        if case .start = atom { throw PatternError("nothing to repeat before '\(written)': '^' is not repeatable", offset: at) }
        if case .end = atom { throw PatternError("nothing to repeat before '\(written)': '$' is not repeatable", offset: at) }
        if peek == "?" {
            throw PatternError("lazy quantifiers ('\(written)?') are not supported; a match is only yes or no, so drop the '?'", offset: i)
        }
        if peek == "+" {
            throw PatternError("possessive quantifiers ('\(written)+') are not supported", offset: i)
        }
        if let next = peek, next == "*" || next == "{" {
            throw PatternError("quantifier '\(next)' follows another quantifier; wrap the repeated part in '(?:' ')'", offset: i)
        }
        return .repetition(atom, min: bounds.min, max: bounds.max, offset: at)
    }

    /// Parses `{m}`, `{m,}` or `{m,n}` at `i`. Returns nil (with `i` unchanged)
    /// when the text is not brace-quantifier syntax; throws for bad counts.
    private mutating func parseBraces() throws(PatternError) -> (min: Int, max: Int?)? {
        let start = i
        var j = i + 1
        func number() -> Int? {
            var value = 0
            let first = j
            while j < scalars.count, ("0"..."9").contains(scalars[j]) {
                value = min(value * 10 + Int(scalars[j].value - 0x30), 1_000_000)
                j += 1
            }
            return j > first ? value : nil
        }
        if j < scalars.count, scalars[j] == "," {
            throw PatternError("quantifier '{,n}' needs a minimum; write '{0,n}'", offset: start)
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if j < scalars.count, scalars[j] == "," {
            j += 1
            high = number()
        }
        guard j < scalars.count, scalars[j] == "}" else { return nil }
        i = j + 1
        if [low, high].contains(where: { ($0 ?? 0) > Self.maxRepetition }) {
            // Quote the quantifier as written (the digits were capped while read).
            let written = String(String.UnicodeScalarView(scalars[start..<i]))
            throw PatternError("repetition count in '\(written)' is more than the limit of \(Self.maxRepetition)", offset: start)
        }
        if let high, high < low {
            throw PatternError("quantifier {\(low),\(high)} has its minimum above its maximum", offset: start)
        }
        return (low, high)
    }
}
