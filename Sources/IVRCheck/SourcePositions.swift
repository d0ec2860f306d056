import IVRSyntax

/// Positions inside a flow's scalars: a diagnostic about one `${name}`, one
/// character of a regex or one name in a condition points there, not at the
/// whole scalar. The file's bytes (kept in the project) say where each
/// character of a value stands (see `ScalarSourceMap`); without them, or
/// when the scalar cannot be mapped exactly, ranges fall back to the scalar's.
extension CheckContext {
    /// Where each character of `value`, the scalar at `range` in `flow`'s file, stands.
    func sourceMap(of value: String, at range: SourceRange, in flow: Flow) -> ScalarSourceMap {
        guard let bytes = project.files[flow.file]?.bytes, !bytes.isEmpty else { return .inexact(value, range: range) }
        return ScalarSourceMap(value: value, range: range, source: bytes)
    }

    /// The `${...}` a read reads (`${customer.tier}`), or the variable of a
    /// condition (whose range is exact already).
    func range(of read: FlowVariables.Read, in flow: Flow) -> SourceRange {
        guard let span = read.span else { return read.range }
        return sourceMap(of: read.text, at: read.range, in: flow).range(of: span)
    }

    /// Where the read's root variable is written (`customer` in
    /// `${customer.tier}`), when the file holds it there as written: the
    /// range a fix-it may replace.
    func rootRange(of read: FlowVariables.Read, in flow: Flow) -> SourceRange? {
        let range: SourceRange
        if let span = read.span {
            let map = sourceMap(of: read.text, at: read.range, in: flow)
            guard map.isExact else { return nil }
            let scalars = Array(read.text.unicodeScalars)
            var start = span.lowerBound + 2
            while start < span.upperBound, scalars[start] == " " { start += 1 }
            range = map.range(of: start..<min(start + read.root.unicodeScalars.count, span.upperBound))
        } else {
            range = ScalarSourceMap.verbatim(read.root, origin: read.range.start).range(of: 0..<read.root.unicodeScalars.count)
        }
        return holds(read.root, at: range, in: flow) ? range : nil
    }

    /// Whether `flow`'s file holds exactly `text` at `range`.
    func holds(_ text: String, at range: SourceRange, in flow: Flow) -> Bool {
        guard let bytes = project.files[flow.file]?.bytes, range.start.offset >= 0,
              range.start.offset <= range.end.offset, range.end.offset <= bytes.count else { return false }
        return bytes[range.start.offset..<range.end.offset].elementsEqual(text.utf8)
    }
}
