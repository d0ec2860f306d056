/// A regular expression from a flow file (`pattern:`, `allow:`, `matches()`),
/// compiled to a Thompson NFA by our own small engine.
///
/// A pattern must match the **whole** string, like HTML's `pattern`
/// attribute: `10[01]` matches "100" but not "1001". `^` and `$` are allowed
/// and redundant. Matching never backtracks, so its time is linear in the
/// input whatever the pattern (caller-typed digits cannot cause catastrophic
/// matching).
///
/// Syntax: literals; `.` (any character but a line break); classes `[...]`
/// with ranges and `^` negation; escapes `\d \w \s \D \W \S`, `\t \n \r \f \v`
/// and any escaped punctuation (`\. \+ \* \# ...`); groups `( )` and `(?: )`;
/// alternation `|`; greedy quantifiers `? * + {m} {m,} {m,n}` with counts up
/// to 1000; anchors `^ $`. Backreferences, lookaround, named groups, lazy and
/// possessive quantifiers and `\b` are rejected with an error naming them.
public struct Pattern: Sendable {
    /// The pattern as written.
    public let source: String
    let program: PatternProgram

    /// The ten digit keys, 0-9.
    public static let dtmfDigits: Set<Character> = Set("0123456789")
    /// Every key on a phone keypad: 0-9, `*` and `#`.
    public static let dtmfKeys: Set<Character> = Set("0123456789*#")

    /// Compiles `source`; throws a `PatternError` naming the problem and its
    /// position (in Unicode scalars) for anything the engine does not accept.
    public init(_ source: String) throws(PatternError) {
        self.source = source
        var parser = PatternParser(source)
        program = try PatternProgram(try parser.parse())
    }

    /// Whether the whole of `s` matches.
    public func matches(_ s: String) -> Bool {
        var matcher = PatternMatcher(program)
        return matcher.matches(s)
    }

    /// The number of NFA instructions, a measure of the pattern's size.
    public var stateCount: Int { program.code.count }
}

extension Pattern: Hashable {
    public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

extension Pattern: CustomStringConvertible {
    public var description: String { "/\(source)/" }
}
