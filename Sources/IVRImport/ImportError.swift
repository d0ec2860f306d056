/// Why a file could not be imported: it is not a valid file of its format.
/// `line` and `column` (1-based) point at the offending place in the source.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = PrintableText.escaped(message)
    }

    /// `LINE:COLUMN: MESSAGE`.
    public var description: String { "\(line):\(column): \(message)" }
}
