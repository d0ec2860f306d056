/// A regular expression from a flow file (`pattern:`, `allow:`, `matches()`),
/// compiled to a Thompson NFA by our own small engine.
///
/// Matching is a **search**, as in Python's `re.search` or JavaScript's
/// `RegExp.test`: the pattern matches when it matches some part of the
/// string. `10[01]` matches "100", "1001" and "51007"; `^` anchors at the
/// start and `$` at the end, so `^10[01]$` matches only "100" and "101".
/// Anchors may stand anywhere, also inside groups and alternatives
/// (`(^a|b$)`: "a" at the start or "b" at the end). The empty pattern matches
/// every string. `$` is the end of the string only: there is no special case
/// for a trailing line break (values are digits and variables, not lines).
/// The same meaning holds everywhere: capture `pattern`,
/// `dial-by-extension`, transfer `allow`, `matches()`. A pattern that must
/// describe the whole value (an `allow`, above all) is written `^...$`.
///
/// Matching never backtracks, so its time is linear in the input whatever
/// the pattern (caller-typed digits cannot cause catastrophic matching).
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

    /// Whether the pattern matches somewhere in `s` (anchors permitting).
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
