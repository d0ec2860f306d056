/// Something of the source that the imported flow does not reproduce
/// exactly, at its 1-based source line.
public struct ImportWarning: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = PrintableText.escaped(message)
    }

    /// `line N: MESSAGE`.
    public var description: String { "line \(line): \(message)" }
}
