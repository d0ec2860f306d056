/// The diagnostics `YAMLReader` raises, with their words in one place: the
/// fast path (`EventReader`, `YAMLTreeAssembler`) and the plain one
/// (`PlainYAMLReader`) both make them here, so a difference between the two
/// paths is a difference in what they found, never in how they said it.
enum YAMLReaderDiagnostics {
    /// The tags of YAML's core schema; any other tag is refused (E007).
    static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    ]

    static func fileTooLarge(_ size: Int, file: String) -> Diagnostic {
        Diagnostic(.E007,
                   "file is \(size / (1 << 20)) MiB; flows larger than \(YAMLReader.maxFileSize >> 20) MiB are not read",
                   file: file, range: .unknown)
    }

    static func extraDocument(_ number: Int, file: String, range: SourceRange) -> Diagnostic {
        Diagnostic(.E007, "a flow file holds one YAML document; this is document \(number)", file: file,
                   range: range, help: "put each flow in its own file")
    }

    static func unknownAnchor(_ name: String, file: String, range: SourceRange) -> Diagnostic {
        Diagnostic(.E001, "alias '*\(name)' names no anchor defined before it", file: file, range: range)
    }

    static func aliasesTooLarge(file: String, range: SourceRange) -> Diagnostic {
        Diagnostic(.E007, "aliases expand to more than \(YAMLReader.maxAliasExpansion) nodes; refusing to expand them",
                   file: file, range: range,
                   help: "a file whose aliases multiply (a \"billion laughs\" file) is not read")
    }

    static func unsupportedTag(_ tag: String, file: String, range: SourceRange) -> Diagnostic {
        Diagnostic(.E007, "YAML tag '\(tag)' is not supported", file: file, range: range,
                   help: "remove the tag; flow files use plain YAML values")
    }

    static func tooDeep(file: String, range: SourceRange) -> Diagnostic {
        Diagnostic(.E007, "YAML nested deeper than \(YAMLReader.maxDepth) levels", file: file, range: range)
    }

    /// E002 for key `name` at `range`, which repeats the key at `first`.
    static func duplicateKey(_ name: String, file: String, range: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.E002, "duplicate key '\(name)'", file: file, range: range,
                   notes: [Diagnostic.Note("'\(name)' is first defined here", file: file, range: first)],
                   help: "remove one of the two entries")
    }

    /// E001 for what stopped libyaml. `locate` turns libyaml's 0-based line
    /// and column into a location (each path converts marks its own way).
    static func syntaxError(_ failure: YAMLParseFailure, source: [UInt8], lines: LineTable, file: String,
                            locate: (_ line: Int, _ column: Int) -> SourceLocation) -> Diagnostic {
        if failure.couldNotStart {
            return Diagnostic(.E001, "could not start the YAML parser", file: file, range: .unknown)
        }
        let problem = failure.problem ?? "malformed YAML"
        var message = problem
        if let context = failure.context { message += " " + context }
        let mark = failure.readerOffset.map { location(ofByte: $0, source: source, lines: lines) }
            ?? locate(failure.problemLine, failure.problemColumn)
        if let tab = TabWhitespace.diagnostic(at: mark, bytes: source, lines: lines, file: file) {
            return tab // the tab is the cause: no note about where libyaml was scanning
        }
        var notes: [Diagnostic.Note] = []
        if let context = failure.context, failure.contextLine != failure.problemLine
            || failure.contextColumn != failure.problemColumn {
            notes.append(Diagnostic.Note(context, file: file,
                                         range: SourceRange(at: locate(failure.contextLine, failure.contextColumn))))
        }
        // A `#` in a flow collection hides the rest of its line: the error comes later, so look back.
        let inFlow = (failure.context ?? "").contains("flow") || problem.contains("flow")
        let help = hintForUnquotedKey(from: min(failure.contextLine, failure.problemLine,
                                                inFlow ? failure.problemLine - UnquotedKeyHint.maxLines : .max),
                                      to: max(failure.contextLine, failure.problemLine), source: source, lines: lines)
        return Diagnostic(.E001, "YAML syntax error: " + message, file: file,
                          range: SourceRange(at: mark), notes: notes, help: help)
    }

    /// The line and column (in characters, a stray byte counting as one) of a byte offset.
    private static func location(ofByte offset: Int, source: [UInt8], lines: LineTable) -> SourceLocation {
        let offset = min(max(offset, 0), source.count)
        var line = 1
        while let span = lines.lineBytes(line), span.upperBound < offset { line += 1 }
        let start = lines.lineBytes(line)?.lowerBound ?? 0
        var column = 1
        for i in min(start, offset)..<offset where source[i] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(line: line, column: column, offset: offset)
    }

    /// libyaml reads an unquoted `*` as an alias and `#` as a comment; say
    /// how to write the key when one stands on the lines (0-based) of the
    /// error (at most `UnquotedKeyHint.maxLines` of them, from the problem's).
    private static func hintForUnquotedKey(from first: Int, to last: Int, source: [UInt8], lines: LineTable) -> String? {
        let lower = max(0, first, last - UnquotedKeyHint.maxLines)
        let spans = (lower...last).compactMap { lines.lineBytes($0 + 1) }
        return UnquotedKeyHint.hint(for: spans.map { source[$0] })
    }
}
