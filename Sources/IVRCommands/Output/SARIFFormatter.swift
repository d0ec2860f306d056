import IVRSyntax

/// `--format sarif`: a SARIF 2.1.0 log for code scanning (GitHub, IDEs).
///
/// One run whose driver `ivrc` lists a rule for every code used (id, title,
/// full description, help text and Markdown, default level); one result per
/// diagnostic with its region, notes that point somewhere as
/// `relatedLocations`, other notes and help appended to the message text,
/// and the fix-it as a SARIF `fix`. Columns count Unicode
/// code points, as libyaml does; `endColumn` is just past the region.
public enum SARIFFormatter {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    public static func format(_ report: CheckReport) -> String {
        document(report).encoded(pretty: true) + "\n"
    }

    public static func document(_ report: CheckReport) -> JSONValue {
        let codes = Set(report.diagnostics.map(\.code)).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        let driver: JSONValue = .object([
            ("name", .string("ivrc")),
            ("version", .string(IVRCVersion.current)),
            ("rules", .array(codes.map(rule))),
        ])
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(report.diagnostics.map { result($0, ruleIndex: ruleIndex[$0.code] ?? 0) })),
        ])
        return .object([
            ("$schema", .string(schema)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
    }

    static func rule(_ code: DiagnosticCode) -> JSONValue {
        .object([
            ("id", .string(code.rawValue)),
            ("shortDescription", .object([("text", .string(code.title))])),
            ("fullDescription", .object([("text", .string(code.summary))])),
            ("help", .object([("text", .string(RuleHelp.text(code))), ("markdown", .string(RuleHelp.markdown(code)))])),
            ("defaultConfiguration", .object([("level", .string(level(code.defaultSeverity)))])),
        ])
    }

    static func result(_ d: Diagnostic, ruleIndex: Int) -> JSONValue {
        var text = d.message
        var related: [JSONValue] = []
        for note in d.notes {
            if let range = note.range {
                related.append(.object([
                    ("id", .int(related.count)),
                    ("message", .object([("text", .string(note.message))])),
                    ("physicalLocation", physicalLocation(note.file ?? d.file, range)),
                ]))
            } else {
                text += "\nnote: " + note.message
            }
        }
        if let help = d.help { text += "\nhelp: " + help }
        var members: [(String, JSONValue)] = [
            ("ruleId", .string(d.code.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(d.severity))),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([("physicalLocation", physicalLocation(d.file, d.range))])])),
        ]
        if !related.isEmpty { members.append(("relatedLocations", .array(related))) }
        if let fix = d.fix { members.append(("fixes", .array([self.fix(fix, file: d.file)]))) }
        return .object(members)
    }

    static func fix(_ fix: Diagnostic.FixIt, file: String) -> JSONValue {
        .object([
            ("description", .object([("text", .string(fix.message))])),
            ("artifactChanges", .array([.object([
                ("artifactLocation", .object([("uri", .string(uri(file)))])),
                ("replacements", .array([.object([
                    ("deletedRegion", region(fix.range)),
                    ("insertedContent", .object([("text", .string(fix.replacement))])),
                ])])),
            ])])),
        ])
    }

    static func physicalLocation(_ file: String, _ range: SourceRange) -> JSONValue {
        .object([
            ("artifactLocation", .object([("uri", .string(uri(file)))])),
            ("region", region(range)),
        ])
    }

    static func region(_ range: SourceRange) -> JSONValue {
        .object([
            ("startLine", .int(max(range.start.line, 1))),
            ("startColumn", .int(max(range.start.column, 1))),
            ("endLine", .int(max(range.end.line, 1))),
            ("endColumn", .int(max(range.end.column, 1))),
        ])
    }

    static func level(_ severity: Severity) -> String {
        severity == .error ? "error" : "warning"
    }

    /// A relative path as a relative URI reference; an absolute one as a
    /// `file://` URI. Characters outside RFC 3986's unreserved set (and `/`)
    /// are percent-encoded.
    static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
