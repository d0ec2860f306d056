/// A position in a source file: 1-based line and column (columns count Unicode
/// scalars, as libyaml does), plus the 0-based byte offset.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible, BitwiseCopyable {
    // NOTE: stored as 32-bit values to keep every AST node small (files are
    // limited to 64 MiB, so they fit).
    private var storedLine: Int32
    private var storedColumn: Int32
    private var storedOffset: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }
    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int, offset: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
        storedOffset = Int32(clamping: offset)
    }

    public static let start = SourceLocation(line: 1, column: 1, offset: 0)

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        a.storedOffset < b.storedOffset
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open span of a source file: `start` is the first character,
/// `end` the position just after the last one.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// An empty range at one position.
    public init(at location: SourceLocation) {
        self.start = location
        self.end = location
    }

    public static let unknown = SourceRange(at: .start)

    /// The smallest range that covers both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)-\(end)" }
}

/// A value together with the source range it was read from.
public struct Located<Value> {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
