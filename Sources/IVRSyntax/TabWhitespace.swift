/// The E001 a tab gets where libyaml wants a space. libyaml refuses a tab at
/// the start of a line in block context (indentation, or a line of nothing
/// but tabs) and after a block indicator (`-\tsay: hi`), with "found
/// character that cannot start any token" (or, inside a plain scalar, "found
/// a tab character that violates indentation"), a note about wherever it was
/// scanning, and no hint. Whenever libyaml stops at a tab, that tab is the
/// cause: the diagnostic points at it, says so, and offers the edit.
///
/// Tabs that libyaml accepts are left alone: inside quoted scalars, inside
/// flow collections (`{`, `[`), after a key's `:` (`say:\t"hi"`), before a
/// comment or at the end of a value.
enum TabWhitespace {
    static let indentation = "YAML does not allow tabs for indentation; use spaces"

    /// A tab in the fix-it's indentation reaches the next multiple of this
    /// column count, as terminals and most editors show it.
    static let tabWidth = 8

    /// At most this many other tab-indented lines are named in the help.
    static let linesNamed = 5

    /// The diagnostic when the byte libyaml stopped at (`mark`) is a tab, else nil.
    static func diagnostic(at mark: SourceLocation, bytes: [UInt8], lines: LineTable,
                           file: String) -> Diagnostic? {
        let tab = UInt8(ascii: "\t")
        guard mark.offset >= 0, mark.offset < bytes.count, bytes[mark.offset] == tab,
              let line = lines.lineBytes(mark.line) else { return nil }
        func isBlank(_ b: UInt8) -> Bool { b == tab || b == UInt8(ascii: " ") }
        // The run of blanks the tab stands in, and how it relates to the line.
        var runEnd = mark.offset
        while runEnd < line.upperBound, isBlank(bytes[runEnd]) { runEnd += 1 }
        var runStart = mark.offset
        while runStart > line.lowerBound, isBlank(bytes[runStart - 1]) { runStart -= 1 }
        let leading = runStart == line.lowerBound
        let lineIsBlank = runEnd == line.upperBound
        let runColumn = mark.column - (mark.offset - runStart)
        func location(_ offset: Int, _ column: Int) -> SourceLocation {
            SourceLocation(line: mark.line, column: column, offset: offset)
        }
        let range = SourceRange(start: mark, end: location(runEnd, mark.column + (runEnd - mark.offset)))
        let runRange = SourceRange(start: location(runStart, runColumn), end: range.end)
        if leading {
            let spaces = lineIsBlank ? "" : expanded(bytes[runStart..<runEnd])
            let fix = Diagnostic.FixIt(
                message: lineIsBlank ? "remove the tabs" : "replace the tabs with \(spaces.count) spaces",
                range: runRange, replacement: spaces)
            return Diagnostic(.E001, indentation, file: file, range: range,
                              help: help(otherLines: tabIndentedLines(bytes, lines, besides: mark.line)), fix: fix)
        }
        // Not at the start of a line: libyaml takes a tab after `:` but not
        // after a block indicator (`- ` and `? ` need a space).
        let before = bytes[runStart - 1]
        let place = before > 0x20 && before < 0x7F ? "after '\(Character(Unicode.Scalar(before)))' here" : "here"
        let fix = Diagnostic.FixIt(message: lineIsBlank ? "remove the tabs" : "replace the tabs with a space",
                                   range: runRange, replacement: lineIsBlank ? "" : " ")
        return Diagnostic(.E001, "YAML does not allow a tab \(place); use a space", file: file,
                          range: range, help: "in block style, '-' and '?' are followed by a space", fix: fix)
    }

    /// Blanks as spaces, each tab reaching the next multiple of `tabWidth`.
    static func expanded(_ blanks: some Collection<UInt8>) -> String {
        var column = 0
        for b in blanks {
            column = b == UInt8(ascii: "\t") ? (column / tabWidth + 1) * tabWidth : column + 1
        }
        return String(repeating: " ", count: column)
    }

    private static func help(otherLines: [Int]) -> String {
        let advice = "replace each tab with spaces (the fix-it makes a tab \(tabWidth) columns wide);"
            + " set your editor to insert spaces for YAML"
        guard !otherLines.isEmpty else { return advice }
        let named = otherLines.prefix(linesNamed).map(String.init).joined(separator: ", ")
        let more = otherLines.count > linesNamed ? " and \(otherLines.count - linesNamed) more" : ""
        let noun = otherLines.count == 1 ? "line" : "lines"
        return advice + "; \(noun) \(named)\(more) of this file \(otherLines.count == 1 ? "starts" : "start") with a tab too"
    }

    /// The other lines whose indentation holds a tab (a rough count for the
    /// help: a tab inside a block scalar's text is counted too).
    static func tabIndentedLines(_ bytes: [UInt8], _ lines: LineTable, besides: Int) -> [Int] {
        var found: [Int] = []
        for number in 1...max(lines.lineCount, 1) where number != besides {
            guard let span = lines.lineBytes(number) else { continue }
            for i in span {
                let b = bytes[i]
                if b == UInt8(ascii: "\t") { found.append(number); break }
                if b != UInt8(ascii: " ") { break }
            }
        }
        return found
    }
}
