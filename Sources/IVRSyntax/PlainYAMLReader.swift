internal import CYAML

/// The YAML reader's plain path: libyaml's events read one at a time on the
/// calling thread into `PlainYAMLNode` values, with the YAML rules of the
/// fast path written the obvious way (a stack of open collections holding
/// their children in arrays, a dictionary of the keys seen per mapping, an
/// alias copied as a value). It is the reference the fast path
/// (`YAMLReader.read`, with its event blocks, pipe, arena tree and key bits)
/// is tested against (`PlainReaderComparisonTests`): the same nodes, the
/// same source ranges, the same diagnostics. Nothing calls it for speed.
struct PlainYAMLReader {
    /// One libyaml event, copied out of libyaml.
    struct Event {
        enum Kind {
            case documentStart, streamEnd, collectionEnd, other
            case alias(String)
            case scalar([UInt8], YAMLNode.ScalarStyle, anchor: String?, tag: String?)
            case collectionStart(mapping: Bool, isFlow: Bool, anchor: String?, tag: String?)
        }

        var kind: Kind
        /// libyaml's marks: 0-based lines and columns (in characters).
        var start: (line: Int, column: Int)
        var end: (line: Int, column: Int)

        init(_ event: yaml_event_t) {
            start = (Int(event.start_mark.line), Int(event.start_mark.column))
            end = (Int(event.end_mark.line), Int(event.end_mark.column))
            // NOTE: the event's strings belong to libyaml until `yaml_event_delete`;
            // they are copied into Swift values here, before the caller deletes it.
            func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: $0) }
            }
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                // NOTE: `value` holds `length` bytes (libyaml's contract; NULs included).
                let text = Array(UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)))
                kind = .scalar(text, YAMLNode.ScalarStyle(scalar.style, tagged: scalar.tag != nil),
                               anchor: string(scalar.anchor), tag: string(scalar.tag))
            case YAML_ALIAS_EVENT:
                kind = .alias(string(event.data.alias.anchor) ?? "")
            case YAML_SEQUENCE_START_EVENT:
                let sequence = event.data.sequence_start
                kind = .collectionStart(mapping: false, isFlow: sequence.style == YAML_FLOW_SEQUENCE_STYLE,
                                        anchor: string(sequence.anchor), tag: string(sequence.tag))
            case YAML_MAPPING_START_EVENT:
                let mapping = event.data.mapping_start
                kind = .collectionStart(mapping: true, isFlow: mapping.style == YAML_FLOW_MAPPING_STYLE,
                                        anchor: string(mapping.anchor), tag: string(mapping.tag))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: kind = .collectionEnd
            case YAML_DOCUMENT_START_EVENT: kind = .documentStart
            case YAML_STREAM_END_EVENT: kind = .streamEnd
            default: kind = .other
            }
        }
    }

    /// An open mapping or sequence.
    struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var start: SourceLocation
        var anchor: String?
        /// Its children so far; a mapping's are key, value, key, value, ...
        /// (`<<` pairs are not among them: their values are in `merges`).
        var children: [PlainYAMLNode] = []
        var merges: [PlainYAMLNode] = []
        /// Nodes in the subtree, an alias counting as its anchor's subtree.
        var size = 1
        /// The first key of each text (a mapping's scalar keys).
        var firstKeys: [String: PlainYAMLNode] = [:]
    }

    let file: String
    let source: [UInt8]
    let lineStarts: [Int]
    private var frames: [Frame] = []
    private var anchors: [String: (node: PlainYAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var documents = 0
    private var root: PlainYAMLNode?
    private var duplicates: [Diagnostic] = []
    private var failure: Diagnostic?

    private init(file: String, source: [UInt8]) {
        self.file = file
        self.source = source
        var starts = [0]
        for (i, byte) in source.enumerated() where byte == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    static func read(_ bytes: [UInt8], file: String) -> PlainYAMLDocument {
        if bytes.count > YAMLReader.maxFileSize {
            return PlainYAMLDocument(root: nil, diagnostics: [YAMLReaderDiagnostics.fileTooLarge(bytes.count, file: file)],
                                     lineStarts: [0])
        }
        var reader = PlainYAMLReader(file: file, source: bytes)
        if !bytes.isEmpty { reader.run() }
        return PlainYAMLDocument(root: reader.failure == nil ? reader.root : nil,
                                 diagnostics: reader.duplicates + (reader.failure.map { [$0] } ?? []),
                                 lineStarts: reader.lineStarts)
    }

    private mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            syntaxError(.couldNotStart)
            return
        }
        defer { yaml_parser_delete(&parser) }
        let source = self.source // (the closure below changes `self`)
        // NOTE: libyaml reads the input through `buffer` only in
        // `yaml_parser_parse`, which is called only inside this closure.
        source.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    syntaxError(YAMLParseFailure(parser))
                    return
                }
                let copied = Event(event)
                yaml_event_delete(&event)
                guard handle(copied) else { return }
            }
        }
    }

    /// Returns false to stop reading.
    private mutating func handle(_ event: Event) -> Bool {
        let range = SourceRange(start: location(event.start), end: location(event.end))
        switch event.kind {
        case .streamEnd:
            return false
        case .documentStart:
            documents += 1
            guard documents == 1 else { return fail(YAMLReaderDiagnostics.extraDocument(documents, file: file, range: range)) }
        case .alias(let name):
            guard let target = anchors[name] else {
                return fail(YAMLReaderDiagnostics.unknownAnchor(name, file: file, range: range))
            }
            expanded += target.size
            guard expanded <= YAMLReader.maxAliasExpansion else {
                return fail(YAMLReaderDiagnostics.aliasesTooLarge(file: file, range: range))
            }
            var copy = target.node
            copy.range = range
            add(copy, size: target.size, anchor: nil)
        case .scalar(let text, let style, let anchor, let tag):
            guard accepts(tag, range) else { return false }
            add(PlainYAMLNode(.scalar(text, style), range: range), size: 1, anchor: anchor)
        case .collectionStart(let mapping, let isFlow, let anchor, let tag):
            guard accepts(tag, range) else { return false }
            guard frames.count < YAMLReader.maxDepth else { return fail(YAMLReaderDiagnostics.tooDeep(file: file, range: range)) }
            frames.append(Frame(isMapping: mapping, isFlow: isFlow, start: range.start, anchor: anchor))
        case .collectionEnd:
            guard let frame = frames.popLast() else { return false }
            close(frame, end: range.end)
        case .other:
            break
        }
        return true
    }

    private mutating func accepts(_ tag: String?, _ range: SourceRange) -> Bool {
        guard let tag, !YAMLReaderDiagnostics.coreTags.contains(tag) else { return true }
        return fail(YAMLReaderDiagnostics.unsupportedTag(tag, file: file, range: range))
    }

    /// A block collection ends where its last child ends (libyaml's end mark
    /// is where the next token starts); `<<` pairs go after the mapping's own.
    private mutating func close(_ frame: Frame, end mark: SourceLocation) {
        var end = mark
        if !frame.isFlow, let last = frame.children.last, last.range.end < end, frame.start < last.range.end {
            end = last.range.end
        }
        let content: PlainYAMLNode.Content
        if frame.isMapping {
            var pairs = stride(from: 0, to: frame.children.count - 1, by: 2).map {
                PlainYAMLNode.Pair(key: frame.children[$0], value: frame.children[$0 + 1])
            }
            pairs += Self.merged(frame.merges, into: pairs)
            content = .mapping(pairs)
        } else {
            content = .sequence(frame.children)
        }
        add(PlainYAMLNode(content, range: SourceRange(start: frame.start, end: end)), size: frame.size, anchor: frame.anchor)
    }

    /// The pairs that `<<` values bring into a mapping: those of each merged
    /// mapping (a list merges each of its mappings), in order, whose scalar
    /// key the mapping does not set itself and no earlier source brought.
    private static func merged(_ merges: [PlainYAMLNode], into own: [PlainYAMLNode.Pair]) -> [PlainYAMLNode.Pair] {
        var seen = Set(own.compactMap(\.key.scalar))
        var sources: [PlainYAMLNode] = []
        for merge in merges {
            if case .sequence(let items) = merge.content { sources += items } else { sources.append(merge) }
        }
        var added: [PlainYAMLNode.Pair] = []
        for source in sources {
            guard case .mapping(let pairs) = source.content else { continue }
            for pair in pairs {
                if let key = pair.key.scalar, seen.insert(key).inserted { added.append(pair) }
            }
        }
        return added
    }

    private mutating func add(_ node: PlainYAMLNode, size: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, size) }
        guard !frames.isEmpty else {
            root = node
            return
        }
        let top = frames.count - 1
        frames[top].size += size
        if !frames[top].isMapping {
            frames[top].children.append(node)
        } else if frames[top].children.count % 2 == 1 { // the value of the last key
            if frames[top].children[frames[top].children.count - 1].isMergeKey {
                frames[top].children.removeLast()
                frames[top].merges.append(node)
            } else {
                frames[top].children.append(node)
            }
        } else { // a key
            if case .scalar(_, let style) = node.content, !node.isMergeKey, let name = node.scalar {
                checkRepeat(name, style: style, range: node.range, in: top)
            }
            frames[top].children.append(node)
        }
    }

    /// E002 when the mapping already has a key that reads `name` with the
    /// same core type (`1` and `"1"` are two keys).
    private mutating func checkRepeat(_ name: String, style: YAMLNode.ScalarStyle, range: SourceRange, in top: Int) {
        guard let first = frames[top].firstKeys[name] else {
            frames[top].firstKeys[name] = PlainYAMLNode(.scalar(Array(name.utf8), style), range: range)
            return
        }
        guard case .scalar(_, let firstStyle) = first.content, let firstName = first.scalar,
              YAMLCoreType(name, style: style) == YAMLCoreType(firstName, style: firstStyle) else { return }
        duplicates.append(YAMLReaderDiagnostics.duplicateKey(name, file: file, range: range, first: first.range))
    }

    private mutating func fail(_ diagnostic: Diagnostic) -> Bool {
        failure = diagnostic
        return false
    }

    private mutating func syntaxError(_ failure: YAMLParseFailure) {
        self.failure = YAMLReaderDiagnostics.syntaxError(failure, source: source, lines: LineTable(source), file: file) {
            location(($0, $1))
        }
    }

    /// A libyaml mark as a location: lines start after each line feed, and
    /// a column is a character (a lead byte and its continuation bytes).
    private func location(_ mark: (line: Int, column: Int)) -> SourceLocation {
        let line = mark.line + 1, column = mark.column + 1
        guard line <= lineStarts.count else { return SourceLocation(line: line, column: column, offset: source.count) }
        var offset = lineStarts[line - 1]
        for _ in 1..<column where offset < source.count {
            offset += 1
            while offset < source.count, source[offset] & 0xC0 == 0x80 { offset += 1 }
        }
        return SourceLocation(line: line, column: column, offset: offset)
    }
}
