/// The parsed form of a pattern, before it is compiled into an automaton.
/// Groups leave no node of their own: nothing is captured.
indirect enum PatternNode: Sendable {
    /// Matches the empty string (an empty pattern, group or alternative).
    case empty
    /// Consumes one scalar from the class.
    case set(CharClass)
    /// `^`: only at the start of the string.
    case start
    /// `$`: only at the end of the string.
    case end
    case concat([PatternNode])
    case alternation([PatternNode])
    /// `e{min,max}`; `max == nil` is unbounded. `offset` is where the
    /// quantifier stands, for "pattern too large" errors.
    case repetition(PatternNode, min: Int, max: Int?, offset: Int)
}
