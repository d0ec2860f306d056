/// Feeds libyaml's events to a `YAMLTreeAssembler`, with an explicit stack,
/// so deep nesting never recurses. Marks become `SourceRange`s here.
struct EventReader {
    let file: String
    let lines: LineTable
    let bytes: UnsafeBufferPointer<UInt8>
    var assembler: YAMLTreeAssembler
    private var failed = false
    private var failures: [Diagnostic] = []
    private var documents = 0

    init(file: String, lines: LineTable, bytes: UnsafeBufferPointer<UInt8>, watching rootKey: String?) {
        self.file = file
        self.lines = lines
        self.bytes = bytes
        self.assembler = YAMLTreeAssembler(file: file, sourceSize: bytes.count, watching: rootKey)
    }

    /// Whether a whole document was read without an error.
    var succeeded: Bool { !failed && assembler.root != nil }

    /// The tree, unless reading failed. Call once, at the end (the tree
    /// takes the storage, and frees it when it goes, in either case).
    mutating func finish() -> YAMLNode? {
        let tree = assembler.finish()
        guard !failed, let root = assembler.root else { return nil }
        return YAMLNode(tree, Int(root))
    }

    /// Duplicate keys first (found while reading), then what stopped the reader.
    var diagnostics: [Diagnostic] {
        failures.isEmpty ? assembler.diagnostics : assembler.diagnostics + failures
    }

    /// Handles the events of one block; false once reading must stop (the
    /// stream ended, an event was refused, or libyaml failed after them).
    mutating func consume(_ block: YAMLEventBlock) -> Bool {
        // The block's scalar text goes to the tree in one copy.
        let base = assembler.appendText(block.storedBytes)
        for i in 0..<block.count where !handle(block.events[i], block, textBase: base) {
            return false
        }
        if let failure = block.failure {
            syntaxError(failure)
            failed = true
            return false
        }
        return true
    }

    private func location(line: Int32, column: Int32) -> SourceLocation {
        let line = Int(line) + 1
        let column = Int(column) + 1
        return SourceLocation(line: line, column: column, offset: lines.offset(line: line, column: column, in: bytes))
    }

    /// The line and column (in characters, a stray byte counting as one) of a byte offset.
    private func location(ofByte offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        var line = 1
        while let span = lines.lineBytes(line), span.upperBound < offset { line += 1 }
        let start = lines.lineBytes(line)?.lowerBound ?? 0
        var column = 1
        for i in min(start, offset)..<offset where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(line: line, column: column, offset: offset)
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        location(line: Int32(clamping: line), column: Int32(clamping: column))
    }

    private func range(_ event: YAMLEvent) -> SourceRange {
        SourceRange(start: location(line: event.startLine, column: event.startColumn),
                    end: location(line: event.endLine, column: event.endColumn))
    }

    private static func string(_ block: YAMLEventBlock, _ offset: Int32, _ count: Int32) -> String? {
        guard offset >= 0 else { return nil }
        return String(decoding: block.text(offset, count), as: UTF8.self)
    }

    private static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    ]

    /// Returns false to stop reading.
    private mutating func handle(_ event: YAMLEvent, _ block: YAMLEventBlock, textBase: Int) -> Bool {
        switch event.kind {
        case .streamEnd:
            return false
        case .documentStart:
            documents += 1
            if documents > 1 {
                fail(.E007, "a flow file holds one YAML document; this is document \(documents)", range(event),
                     help: "put each flow in its own file")
                return false
            }
            return true
        case .alias:
            let name = Self.string(block, event.text, event.textCount) ?? ""
            switch assembler.alias(name, range: range(event), limit: YAMLReader.maxAliasExpansion) {
            case .added:
                return true
            case .unknownAnchor:
                fail(.E001, "alias '*\(name)' names no anchor defined before it", range(event))
                return false
            case .tooLarge:
                fail(.E007, "aliases expand to more than \(YAMLReader.maxAliasExpansion) nodes; refusing to expand them",
                     range(event), help: "a file whose aliases multiply (a \"billion laughs\" file) is not read")
                return false
            }
        case .scalar:
            if !checkTag(event, block) { return false }
            assembler.scalar(first: textBase + Int(event.text), count: Int(event.textCount), prefix: event.prefix,
                             isASCII: event.isASCII, style: event.style, range: range(event),
                             anchor: Self.string(block, event.anchor, event.anchorCount))
            return true
        case .sequenceStart, .mappingStart:
            if !checkTag(event, block) { return false }
            if assembler.depth >= YAMLReader.maxDepth {
                fail(.E007, "YAML nested deeper than \(YAMLReader.maxDepth) levels", range(event))
                return false
            }
            assembler.open(mapping: event.kind == .mappingStart, isFlow: event.isFlow,
                           start: location(line: event.startLine, column: event.startColumn),
                           anchor: Self.string(block, event.anchor, event.anchorCount))
            return true
        case .collectionEnd:
            return assembler.close(end: location(line: event.endLine, column: event.endColumn))
        case .other:
            return true
        }
    }

    private mutating func checkTag(_ event: YAMLEvent, _ block: YAMLEventBlock) -> Bool {
        guard let tag = Self.string(block, event.tag, event.tagCount) else { return true }
        if Self.coreTags.contains(tag) { return true }
        fail(.E007, "YAML tag '\(tag)' is not supported", range(event),
             help: "remove the tag; flow files use plain YAML values")
        return false
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, _ range: SourceRange, help: String? = nil) {
        failures.append(Diagnostic(code, message, file: file, range: range, help: help))
        failed = true
    }

    private mutating func syntaxError(_ failure: YAMLParseFailure) {
        if failure.couldNotStart {
            failures.append(Diagnostic(.E001, "could not start the YAML parser", file: file, range: .unknown))
            return
        }
        let problem = failure.problem ?? "malformed YAML"
        var message = problem
        if let context = failure.context { message += " " + context }
        let mark = failure.readerOffset.map(location(ofByte:)) ?? location(failure.problemLine, failure.problemColumn)
        if let tab = TabWhitespace.diagnostic(at: mark, bytes: bytes, lines: lines, file: file) {
            failures.append(tab) // the tab is the cause: no note about where libyaml was scanning
            return
        }
        var notes: [Diagnostic.Note] = []
        if let context = failure.context, failure.contextLine != failure.problemLine
            || failure.contextColumn != failure.problemColumn {
            notes.append(Diagnostic.Note(context, file: file,
                                         range: SourceRange(at: location(failure.contextLine, failure.contextColumn))))
        }
        // A `#` in a flow collection hides the rest of its line: the error comes later, so look back.
        let inFlow = (failure.context ?? "").contains("flow") || problem.contains("flow")
        let help = hintForUnquotedKey(from: min(failure.contextLine, failure.problemLine,
                                                inFlow ? failure.problemLine - UnquotedKeyHint.maxLines : .max),
                                      to: max(failure.contextLine, failure.problemLine))
        failures.append(Diagnostic(.E001, "YAML syntax error: " + message, file: file,
                                      range: SourceRange(at: mark), notes: notes, help: help))
    }

    /// libyaml reads an unquoted `*` as an alias and `#` as a comment; say
    /// how to write the key when one stands on the lines (0-based) of the
    /// error (at most `UnquotedKeyHint.maxLines` of them, from the problem's).
    private func hintForUnquotedKey(from first: Int, to last: Int) -> String? {
        let lower = max(0, first, last - UnquotedKeyHint.maxLines)
        let spans = (lower...last).compactMap { lines.lineBytes($0 + 1) }
        return UnquotedKeyHint.hint(for: spans.map { UnsafeBufferPointer(rebasing: bytes[$0]) })
    }
}
