/// Where each character of a scalar's value stands in the file.
///
/// Expressions, regexes and `${name}` references are parsed from a scalar's
/// *value* (what libyaml decoded), but diagnostics must point into the
/// *source*, where the value may look different: `\"` and `''` escapes,
/// `\x41` and `\u00e9` escapes, quotes, line folding, the indentation and
/// header of `|` and `>` blocks. The map is made by decoding the scalar's
/// source again as libyaml does (`ScalarDecoder`), noting for every value
/// character the source text it came from, and is used only if that
/// decoding gives exactly the value. When it does not (a style libyaml
/// reads differently, a file changed since), the map is *inexact*: every
/// position falls back to the scalar's start and every range to the whole
/// scalar, so nothing points at the wrong place and fix-its are not offered.
///
/// Positions inside the value are counted in Unicode scalars, as the
/// expression lexer, `InterpolatedString` and `PatternError` count them.
public struct ScalarSourceMap: Sendable {
    /// The value the map describes.
    public let text: String
    /// The scalar's whole range (properties such as `&anchor` included).
    public let scalarRange: SourceRange
    /// `starts[i]` is where value scalar `i` begins in the file; one extra
    /// entry for the end of the value. Empty when the map is inexact.
    private let starts: [SourceLocation]
    /// `ends[i]` is just after the source text of value scalar `i`.
    private let ends: [SourceLocation]

    /// Whether positions are exact (false: they all fall back to the scalar's start).
    public var isExact: Bool { !starts.isEmpty }

    /// The number of Unicode scalars in the value.
    public var count: Int { ends.count }

    /// The map of a scalar whose value is `value` and whose source is
    /// `source[range.start.offset..<range.end.offset]` (the whole file's bytes).
    public init(value: String, range: SourceRange, source: [UInt8]) {
        text = value
        scalarRange = range
        if let origin = Self.verbatimOrigin(of: value, range: range, source: source) {
            (starts, ends) = Self.walk(value, from: origin)
            return
        }
        var decoded: (starts: [SourceLocation], ends: [SourceLocation])?
        if range.start.offset >= 0, range.start.offset <= range.end.offset, range.end.offset <= source.count,
           let spans = ScalarDecoder.decode(value: value, bytes: source, start: range.start.offset, end: range.end.offset) {
            decoded = Self.locate(spans, from: range.start, in: source)
        }
        starts = decoded?.starts ?? []
        ends = decoded?.ends ?? []
    }

    /// The map of text that stands in the file exactly as written, from
    /// `origin` (a line feed starts a new line at column 1).
    public static func verbatim(_ text: String, origin: SourceLocation) -> ScalarSourceMap {
        let (starts, ends) = walk(text, from: origin)
        return ScalarSourceMap(text: text, range: SourceRange(start: origin, end: starts[starts.count - 1]),
                               starts: starts, ends: ends)
    }

    /// The starts and ends of `text`'s scalars laid out from `origin`.
    private static func walk(_ text: String, from origin: SourceLocation) -> ([SourceLocation], [SourceLocation]) {
        var starts: [SourceLocation] = [], ends: [SourceLocation] = []
        starts.reserveCapacity(text.unicodeScalars.count + 1)
        ends.reserveCapacity(text.unicodeScalars.count)
        var here = origin
        for scalar in text.unicodeScalars {
            starts.append(here)
            if scalar == "\n" {
                here.line += 1
                here.column = 1
            } else {
                here.column += 1
            }
            here.offset += UTF8.width(scalar)
            ends.append(here)
        }
        starts.append(here)
        return (starts, ends)
    }

    /// A map that knows nothing but the scalar's range (every position is its start).
    public static func inexact(_ text: String, range: SourceRange) -> ScalarSourceMap {
        ScalarSourceMap(text: text, range: range, starts: [], ends: [])
    }

    init(text: String, range: SourceRange, starts: [SourceLocation], ends: [SourceLocation]) {
        self.text = text
        self.scalarRange = range
        self.starts = starts
        self.ends = ends
    }

    /// Where value scalar `index` begins (`count`: the end of the value).
    public func location(at index: Int) -> SourceLocation {
        guard isExact else { return scalarRange.start }
        return starts[min(max(index, 0), count)]
    }

    /// The source text of value scalars `scalars` (an empty range is a
    /// position). Inexact maps give the whole scalar.
    public func range(of scalars: Range<Int>) -> SourceRange {
        guard isExact else { return scalarRange }
        let lower = min(max(scalars.lowerBound, 0), count), upper = min(max(scalars.upperBound, lower), count)
        if lower == upper { return SourceRange(at: starts[lower]) }
        return SourceRange(start: starts[lower], end: ends[upper - 1])
    }

    /// The value scalar that begins at `location`, if one does.
    public func index(at location: SourceLocation) -> Int? {
        guard isExact else { return nil }
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid].offset < location.offset { low = mid + 1 } else { high = mid }
        }
        return low < starts.count && starts[low].offset == location.offset ? low : nil
    }

    /// Where the value starts when the source holds it byte for byte (a
    /// plain scalar on one line, or one in quotes with no escape): no
    /// decoding needed. A value equal to its source has nothing decoded in it.
    private static func verbatimOrigin(of value: String, range: SourceRange, source: [UInt8]) -> SourceLocation? {
        let start = range.start.offset, end = range.end.offset
        guard range.start.line == range.end.line, start >= 0, start <= end, end <= source.count else { return nil }
        var value = value
        return value.withUTF8 { v -> SourceLocation? in
            let n = end - start
            if n == v.count, n > 0, source[start] != UInt8(ascii: "&"), source[start] != UInt8(ascii: "!"),
               source[start] != UInt8(ascii: "\""), source[start] != UInt8(ascii: "'"),
               source[start..<end].elementsEqual(v) {
                return range.start
            }
            if n == v.count + 2, source[start] == UInt8(ascii: "\"") || source[start] == UInt8(ascii: "'"),
               source[end - 1] == source[start], source[(start + 1)..<(end - 1)].elementsEqual(v) {
                var origin = range.start
                origin.column += 1
                origin.offset += 1
                return origin
            }
            return nil
        }
    }

    /// Turns the decoder's byte offsets (start and end of each value
    /// scalar, then the end of the value; never decreasing) into locations,
    /// in one walk from `origin`.
    private static func locate(_ spans: [Int], from origin: SourceLocation, in bytes: [UInt8])
        -> (starts: [SourceLocation], ends: [SourceLocation])? {
        var starts: [SourceLocation] = [], ends: [SourceLocation] = []
        starts.reserveCapacity(spans.count / 2 + 1)
        ends.reserveCapacity(spans.count / 2)
        var here = origin
        for (k, offset) in spans.enumerated() {
            guard offset >= here.offset, offset <= bytes.count else { return nil }
            while here.offset < offset {
                let byte = bytes[here.offset]
                if byte == UInt8(ascii: "\n") {
                    here.line += 1
                    here.column = 1
                } else if byte & 0xC0 != 0x80 {
                    here.column += 1
                }
                here.offset += 1
            }
            if k % 2 == 0 { starts.append(here) } else { ends.append(here) }
        }
        return starts.count == ends.count + 1 ? (starts, ends) : nil
    }
}
