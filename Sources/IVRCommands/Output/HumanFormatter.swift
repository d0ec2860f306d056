import IVRCheck
import IVRSyntax

/// `--format human`: compiler-style blocks, one per diagnostic, then a
/// summary line (toolchain.md, "check output"):
///
/// ```
/// flows/main.yaml:14:12: error[E201]: target 'salse' names no node
///    14 |       "1": salse
///       |            ^^^^^
///    = help: did you mean 'sales'?
///
/// 1 error in 3 files
/// ```
///
/// Carets sit under the range (at least one; a range over several lines is
/// underlined to the end of its first line). A note that points elsewhere
/// shows its own `file:line:col` and source line. A fix-it without help
/// text is shown as help; its exact edit is in `--format json` and `sarif`.
///
/// It is the one diagnostic printer of the commands: `check` and `test`
/// print whole blocks, `build`, `graph` and `simulate` (sources refused)
/// print the header line alone (`Detail.line`), and `test` without a
/// source excerpt prints the header and its help (`Detail.help`).
public struct HumanFormatter: Sendable {
    let style: TerminalStyle

    /// How much of a diagnostic to print; each ends with a newline.
    public enum Detail: Sendable {
        /// `file:line:column: severity[code]: message`.
        case line
        /// The line, then `   = help: ...` when there is help or a fix-it.
        case help
        /// The line, the source excerpt, notes and help.
        case full
    }

    /// No colour: text for files, pipes and tests.
    public static let plain = HumanFormatter(color: false)

    public init(color: Bool) {
        style = TerminalStyle(enabled: color)
    }

    public func format(_ report: CheckReport) -> String {
        var out = ""
        for d in report.diagnostics {
            out += block(d, sources: report.sources) + "\n"
        }
        return out + style.bold(report.summary) + "\n"
    }

    /// One diagnostic at the detail asked for; `sources` (by file) give the excerpts of `.full`.
    public func diagnostic(_ d: Diagnostic, detail: Detail, sources: [String: SourceFile] = [:]) -> String {
        switch detail {
        case .line: header(d) + "\n"
        case .help: header(d) + "\n" + help(d)
        case .full: block(d, sources: sources)
        }
    }

    /// `file:line:column: severity[code]: message`, without the newline.
    func header(_ d: Diagnostic) -> String {
        style.bold("\(d.file):\(d.range.start.line):\(d.range.start.column):") + " "
            + paint(d)("\(d.severity.rawValue)[\(d.code.rawValue)]:") + " " + style.bold(d.message)
    }

    /// Red for errors, yellow for warnings.
    private func paint(_ d: Diagnostic) -> (String) -> String {
        let paint = d.severity == .error ? style.red : style.yellow
        return paint
    }

    /// One diagnostic: header, source excerpt, notes, help.
    func block(_ d: Diagnostic, sources: [String: SourceFile]) -> String {
        var out = header(d) + "\n"
        out += excerpt(sources[d.file], d.range, marker: "^", paint: paint(d), hidingValue: d.code == .E504)
        for note in d.notes {
            let file = note.file ?? d.file
            if let range = note.range, file != d.file || range != d.range {
                out += label("note") + "\(file):\(range.start.line):\(range.start.column): \(note.message)\n"
                out += excerpt(sources[file], range, marker: "-", paint: style.cyan)
            } else {
                out += label("note") + note.message + "\n"
            }
        }
        return out + help(d)
    }

    /// `   = help: ...` and its newline, or nothing.
    private func help(_ d: Diagnostic) -> String {
        if let help = d.help { return label("help") + help + "\n" }
        // The fix-it's edit is in the JSON and SARIF output; here it is
        // said once, as help, keeping the block in toolchain.md's shape.
        if let fix = d.fix { return label("help") + fix.message + "\n" }
        return ""
    }

    private func label(_ name: String) -> String {
        style.blue("   =") + " " + style.bold(name + ":") + " "
    }

    /// The source line of `range.start` with markers under the range; empty
    /// when the line is unknown or blank.
    /// `hidingValue`: the range is a key whose value is a secret (E504):
    /// the line is shown up to the key, then `: ***`.
    func excerpt(_ source: SourceFile?, _ range: SourceRange, marker: Character,
                 paint: (String) -> String, hidingValue: Bool = false) -> String {
        guard var text = source?.line(range.start.line).map(Self.printable),
              !text.allSatisfy({ $0 == " " || $0 == "\t" }) else { return "" }
        if hidingValue {
            let key = text.unicodeScalars.prefix(max(0, (range.end.line == range.start.line ? range.end.column : range.start.column) - 1))
            text = String(String.UnicodeScalarView(key)) + ": ***"
        }
        var scalars = Array(text.unicodeScalars)
        var start = min(max(range.start.column, 1), scalars.count + 1)
        var end = range.end.line == range.start.line ? min(range.end.column, scalars.count + 1) : scalars.count + 1
        var shown = text
        if scalars.count > Self.longestLine {
            // A window of the line around the range, marked with "…" where cut.
            let low = max(0, min(start - 1 - Self.longestLine / 3, scalars.count - Self.longestLine))
            let high = min(scalars.count, low + Self.longestLine)
            var window = Array(scalars[low..<high])
            if low > 0 { window.insert("…", at: 0) }
            if high < scalars.count { window.append("…") }
            let shift = low - (low > 0 ? 1 : 0)
            start -= shift
            end = min(end - shift, window.count + 1)
            scalars = window
            shown = String(String.UnicodeScalarView(window))
        }
        let width = max(end - start, 1)
        return gutter(range.start.line) + shown + "\n"
            + gutter(nil) + Self.indent(scalars, upTo: start) + paint(String(repeating: marker, count: width)) + "\n"
    }

    /// Source lines longer than this (in scalars) are shown as a window around the range.
    static let longestLine = 160

    /// `   14 | ` or, for the marker line, `      | `.
    private func gutter(_ line: Int?) -> String {
        let number = line.map(String.init) ?? ""
        let width = max(5, String(line ?? 0).count)
        let pad = String(repeating: " ", count: width - number.count)
        return style.blue(pad + number + " |") + " "
    }

    /// Blanks that line up with the first `column - 1` scalars (tabs kept).
    private static func indent(_ scalars: [Unicode.Scalar], upTo column: Int) -> String {
        String(String.UnicodeScalarView(scalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }))
    }

    /// A source line safe to print: no trailing `\r`, other control
    /// characters (escape sequences included) shown as U+FFFD, one for one.
    static func printable(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        if scalars.last == "\r" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars.map {
            $0 != "\t" && ($0.value < 0x20 || $0.value == 0x7F) ? "\u{FFFD}" : $0
        }))
    }
}
