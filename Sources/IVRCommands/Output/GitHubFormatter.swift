import IVRSyntax

/// `--format github`: GitHub Actions workflow commands, one per diagnostic,
/// which GitHub shows as annotations on the pull request:
///
/// ```
/// ::error file=flows/main.yaml,line=14,col=12,endLine=14,endColumn=17,title=E201::target 'salse' names no node%0Ahelp: did you mean 'sales'?
/// ```
///
/// Notes, help and the fix follow the message on their own lines (`%0A`).
/// The last line is the plain summary, which the log shows as is.
public enum GitHubFormatter {
    public static func format(_ report: CheckReport) -> String {
        var out = ""
        for d in report.diagnostics {
            let properties = [
                "file=" + escapeProperty(d.file),
                "line=\(d.range.start.line)",
                "col=\(d.range.start.column)",
                "endLine=\(d.range.end.line)",
                "endColumn=\(d.range.end.column)",
                "title=" + escapeProperty(d.code.rawValue),
            ]
            let command = d.severity == .error ? "error" : "warning"
            out += "::\(command) \(properties.joined(separator: ","))::\(escapeData(message(d)))\n"
        }
        out += report.summary + "\n"
        return out
    }

    /// The annotation text: the message, then notes, help and fix, one a line.
    static func message(_ d: Diagnostic) -> String {
        var lines = [d.message]
        for note in d.notes {
            if let range = note.range, note.file ?? d.file != d.file || range != d.range {
                lines.append("note: \(note.file ?? d.file):\(range.start.line):\(range.start.column): \(note.message)")
            } else {
                lines.append("note: " + note.message)
            }
        }
        if let help = d.help { lines.append("help: " + help) }
        if let fix = d.fix { lines.append("fix: \(fix.message) (replace with '\(fix.replacement)')") }
        return lines.joined(separator: "\n")
    }

    /// Escaping of a command's message (GitHub's `escapeData`). Works on
    /// Unicode scalars: `"\r\n"` is one `Character` in Swift.
    public static func escapeData(_ text: String) -> String {
        escape(text, property: false)
    }

    /// Escaping of a property value (GitHub's `escapeProperty`).
    public static func escapeProperty(_ text: String) -> String {
        escape(text, property: true)
    }

    private static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
