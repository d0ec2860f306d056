/// Feeds libyaml's events to a `YAMLTreeAssembler`, with an explicit stack,
/// so deep nesting never recurses. Marks become `SourceRange`s here.
struct EventReader {
    let file: String
    let lines: LineTable
    /// The file's bytes (held, so marks can be turned into offsets and
    /// errors can quote lines; an array, not a pointer: no lifetime to track).
    let source: [UInt8]
    var assembler: YAMLTreeAssembler
    private var failed = false
    private var failures: [Diagnostic] = []
    private var documents = 0

    init(file: String, lines: LineTable, source: [UInt8], watching rootKey: String?) {
        self.file = file
        self.lines = lines
        self.source = source
        self.assembler = YAMLTreeAssembler(file: file, sourceSize: source.count, watching: rootKey)
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
        // NOTE: the block is the reader's until it is released (after this
        // returns); `events[i]` for `i < count` are initialized, and
        // `storedBytes` is copied, not kept.
        let base = assembler.appendText(block.storedBytes)
        for i in 0..<block.count where !handle(block.events[i], block, textBase: base) {
            return false
        }
        if let failure = block.failure {
            failures.append(YAMLReaderDiagnostics.syntaxError(failure, source: source, lines: lines, file: file) {
                location(line: Int32(clamping: $0), column: Int32(clamping: $1))
            })
            failed = true
            return false
        }
        return true
    }

    private func location(line: Int32, column: Int32) -> SourceLocation {
        let line = Int(line) + 1
        let column = Int(column) + 1
        return SourceLocation(line: line, column: column, offset: lines.offset(line: line, column: column, in: source))
    }

    private func range(_ event: YAMLEvent) -> SourceRange {
        SourceRange(start: location(line: event.startLine, column: event.startColumn),
                    end: location(line: event.endLine, column: event.endColumn))
    }

    private static func string(_ block: YAMLEventBlock, _ offset: Int32, _ count: Int32) -> String? {
        guard offset >= 0 else { return nil }
        return String(decoding: block.text(offset, count), as: UTF8.self)
    }

    /// Returns false to stop reading.
    private mutating func handle(_ event: YAMLEvent, _ block: YAMLEventBlock, textBase: Int) -> Bool {
        switch event.kind {
        case .streamEnd:
            return false
        case .documentStart:
            documents += 1
            if documents > 1 {
                fail(YAMLReaderDiagnostics.extraDocument(documents, file: file, range: range(event)))
                return false
            }
            return true
        case .alias:
            let name = Self.string(block, event.text, event.textCount) ?? ""
            switch assembler.alias(name, range: range(event), limit: YAMLReader.maxAliasExpansion) {
            case .added:
                return true
            case .unknownAnchor:
                fail(YAMLReaderDiagnostics.unknownAnchor(name, file: file, range: range(event)))
                return false
            case .tooLarge:
                fail(YAMLReaderDiagnostics.aliasesTooLarge(file: file, range: range(event)))
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
                fail(YAMLReaderDiagnostics.tooDeep(file: file, range: range(event)))
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
        if YAMLReaderDiagnostics.coreTags.contains(tag) { return true }
        fail(YAMLReaderDiagnostics.unsupportedTag(tag, file: file, range: range(event)))
        return false
    }

    private mutating func fail(_ diagnostic: Diagnostic) {
        failures.append(diagnostic)
        failed = true
    }
}
