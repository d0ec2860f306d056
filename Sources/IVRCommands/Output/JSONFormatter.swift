import IVRSyntax

/// `--format json`: one JSON object on one line (toolchain.md, "check output").
///
/// ```
/// {"diagnostics":[{"code":"E201","severity":"error","message":"...","file":"flows/main.yaml",
///   "line":14,"column":12,"endLine":14,"endColumn":17,"notes":[],"fix":null}],
///  "errors":1,"warnings":0,"files":3}
/// ```
///
/// Notes are objects with a `message` and, when they point somewhere, `file`,
/// `line`, `column`, `endLine` and `endColumn`. A diagnostic's help text is
/// the last note, its message prefixed with `help: `. `fix` is null or
/// `{"message","replacement","line","column","endLine","endColumn"}`.
/// Columns are 1-based and `endColumn` is just past the last character.
public enum JSONFormatter {
    public static func format(_ report: CheckReport) -> String {
        document(report).encoded() + "\n"
    }

    /// The report as a JSON value.
    public static func document(_ report: CheckReport) -> JSONValue {
        .object([
            ("diagnostics", .array(report.diagnostics.map(diagnostic))),
            ("errors", .int(report.errorCount)),
            ("warnings", .int(report.warningCount)),
            ("files", .int(report.fileCount)),
        ])
    }

    static func diagnostic(_ d: Diagnostic) -> JSONValue {
        var notes = d.notes.map { note($0, in: d.file) }
        if let help = d.help { notes.append(.object([("message", .string("help: " + help))])) }
        return .object([
            ("code", .string(d.code.rawValue)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("file", .string(d.file)),
        ] + span(d.range) + [
            ("notes", .array(notes)),
            ("fix", d.fix.map(fix) ?? .null),
        ])
    }

    static func note(_ note: Diagnostic.Note, in file: String) -> JSONValue {
        guard let range = note.range else { return .object([("message", .string(note.message))]) }
        return .object([("message", .string(note.message)), ("file", .string(note.file ?? file))] + span(range))
    }

    static func fix(_ fix: Diagnostic.FixIt) -> JSONValue {
        .object([("message", .string(fix.message)), ("replacement", .string(fix.replacement))] + span(fix.range))
    }

    static func span(_ range: SourceRange) -> [(String, JSONValue)] {
        [
            ("line", .int(range.start.line)),
            ("column", .int(range.start.column)),
            ("endLine", .int(range.end.line)),
            ("endColumn", .int(range.end.column)),
        ]
    }
}
