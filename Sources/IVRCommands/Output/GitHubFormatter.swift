import IVRSyntax

/// `--format github`: GitHub Actions workflow commands, one per diagnostic,
/// which GitHub shows as annotations on the pull request, in exactly the
/// shape of toolchain.md:
///
/// ```
/// ::error file=flows/main.yaml,line=14,col=12,title=E201::target 'salse' names no node
/// ```
///
/// Standard output holds nothing else, so every line parses as a command;
/// the summary goes to standard error (see `CheckRunner`). Notes, help and
/// the fix-it are in the other formats.
public enum GitHubFormatter {
    public static func format(_ report: CheckReport) -> String {
        var out = ""
        for d in report.diagnostics {
            let properties = [
                "file=" + escapeProperty(d.file),
                "line=\(d.range.start.line)",
                "col=\(d.range.start.column)",
                "title=" + escapeProperty(d.code.rawValue),
            ]
            let command = d.severity == .error ? "error" : "warning"
            out += "::\(command) \(properties.joined(separator: ","))::\(escapeData(d.message))\n"
        }
        return out
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
