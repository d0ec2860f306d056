/// Why a pattern (a regex in `pattern:`, `allow:` or `matches()`) does not
/// compile: a message for people and where in the pattern the problem is.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. "backreferences ('\1') are not supported".
    public var message: String
    /// Index of the offending character in the pattern source, counted in
    /// Unicode scalars (0-based). Equal to the source length for "ended early".
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}
