internal import CYAML

/// The result of reading one YAML file: the tree (nil when the file could not
/// be read as one YAML document) and what went wrong.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]
    public var lines: LineTable
}

/// Reads YAML through libyaml's event API into a `YAMLNode` tree that keeps
/// both marks of every node. libyaml is called only here (`countEvents`) and
/// in `YAMLEventProducer`.
///
/// Refused, with a diagnostic and no tree: syntax errors (E001), duplicate keys
/// (E002, the tree is still returned), and E007 for tags other than the core
/// ones, several documents, nesting deeper than `maxDepth`, files larger than
/// `maxFileSize`, and aliases that would expand past `maxAliasExpansion` nodes
/// (a billion-laughs file costs one counter per alias, never an expansion).
public enum YAMLReader {
    public static let maxAliasExpansion = 100_000
    public static let maxDepth = 200
    public static let maxFileSize = 64 << 20

    /// Files from this size up are parsed by libyaml on a second thread while
    /// the tree is built (see `YAMLEventPipe`); smaller ones are not worth a thread.
    static let pipelineThreshold = 128 << 10

    public static func read(_ bytes: [UInt8], file: String) -> YAMLDocument {
        read(bytes, file: file, watching: nil) { _, _ in }.document
    }

    /// `read(_:file:)` with libyaml on a second thread (true) or on the calling
    /// one (false); nil decides by size.
    public static func read(_ bytes: [UInt8], file: String, pipelined: Bool?) -> YAMLDocument {
        read(bytes, file: file, pipelined: pipelined, watching: nil) { _, _ in }.document
    }

    /// What `read(_:file:pipelined:watching:onPair:)` found besides the document.
    struct Result {
        var document: YAMLDocument
        /// The mapping under the watched root key, when it was read whole.
        var watchedMapping: Int32?
        /// Pairs of the watched mapping not handed to `onPair` (the reader had
        /// no time left for them), in order; empty when reading failed.
        var remainingPairs: [(key: YAMLNode, value: YAMLNode)] = []
    }

    /// Reads the bytes, calling `onPair` with pairs of the mapping that is the
    /// value of the root key `rootKey` (the first such key), in order, while
    /// the rest of the file is still being parsed; the pairs it did not get
    /// to are in the result. With libyaml on its own thread, a pair is handed
    /// over only while the reader waits for libyaml, so that the reader never
    /// holds libyaml up. `pipelined` forces libyaml onto a second thread
    /// (true) or the calling one (false); by default large files get the thread.
    static func read(_ bytes: [UInt8], file: String, pipelined: Bool? = nil, watching rootKey: String?,
                     onPair: (_ key: YAMLNode, _ value: YAMLNode) -> Void) -> Result {
        if bytes.count > maxFileSize {
            let d = Diagnostic(
                .E007,
                "file is \(bytes.count / (1 << 20)) MiB; flows larger than \(maxFileSize >> 20) MiB are not read",
                file: file, range: .unknown)
            return Result(document: YAMLDocument(root: nil, diagnostics: [d], lines: LineTable(bytes.prefix(0))))
        }
        let usePipe = pipelined ?? (bytes.count >= pipelineThreshold)
        return bytes.withUnsafeBufferPointer { buffer in
            // Start libyaml first: the line table is built while it parses.
            let pipe = usePipe && !bytes.isEmpty ? YAMLEventPipe(buffer) : nil
            let lines = LineTable(buffer)
            if bytes.isEmpty {
                return Result(document: YAMLDocument(root: nil, diagnostics: [], lines: lines))
            }
            var reader = EventReader(file: file, lines: lines, bytes: buffer, watching: rootKey)
            var delivered = 0
            /// Hands over the pairs read so far, or (`limit`) only so many.
            func deliver(limit: Int = .max) {
                let pairs = reader.assembler.watchedPairs
                guard delivered < pairs.count else { return }
                let end = pairs.count - delivered > limit ? delivered + limit : pairs.count
                reader.assembler.lend { tree in
                    while delivered < end {
                        onPair(YAMLNode(tree, Int(pairs[delivered].key)), YAMLNode(tree, Int(pairs[delivered].value)))
                        delivered += 1
                    }
                }
            }
            if let pipe {
                defer { pipe.finish() }
                while true {
                    let block: YAMLEventBlock
                    if let ready = pipe.poll() {
                        block = ready
                    } else if delivered < reader.assembler.watchedPairs.count {
                        deliver(limit: 1) // libyaml is busy: meanwhile, one pair
                        continue
                    } else {
                        block = pipe.take()
                    }
                    let more = reader.consume(block) && !block.isLast
                    pipe.release()
                    guard more else { break }
                }
            } else {
                let producer = YAMLEventProducer(buffer)
                let block = YAMLEventBlock()
                while true {
                    producer.fill(block)
                    guard reader.consume(block), !block.isLast else { break }
                    deliver()
                }
                if reader.succeeded { deliver() }
            }
            let succeeded = reader.succeeded
            let rest = succeeded ? Array(reader.assembler.watchedPairs[delivered...]) : []
            let root = reader.finish()
            var result = Result(document: YAMLDocument(root: root, diagnostics: reader.diagnostics, lines: lines),
                                watchedMapping: root == nil ? nil : reader.assembler.watchedMapping)
            if let tree = root?.tree {
                result.remainingPairs = rest.map { (YAMLNode(tree, Int($0.key)), YAMLNode(tree, Int($0.value))) }
            }
            return result
        }
    }

    /// Parses the bytes with libyaml and only counts the events: the baseline
    /// the front-end benchmark compares `ivrc check` against.
    public static func countEvents(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer -> Int in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return -1 }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var count = 0
            while yaml_parser_parse(&parser, &event) == 1 {
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { return count }
            }
            return -count
        }
    }
}

/// Feeds libyaml's events to a `YAMLTreeAssembler`, with an explicit stack,
/// so deep nesting never recurses. Marks become `SourceRange`s here.
private struct EventReader {
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
            assembler.open(mapping: event.kind == .mappingStart,
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
        let mark = location(failure.problemLine, failure.problemColumn)
        var notes: [Diagnostic.Note] = []
        if let context = failure.context, failure.contextLine != failure.problemLine
            || failure.contextColumn != failure.problemColumn {
            notes.append(Diagnostic.Note(context, file: file,
                                         range: SourceRange(at: location(failure.contextLine, failure.contextColumn))))
        }
        let help = hintForUnquotedKey(around: [failure.contextLine, failure.problemLine])
        failures.append(Diagnostic(.E001, "YAML syntax error: " + message, file: file,
                                      range: SourceRange(at: mark), notes: notes, help: help))
    }

    /// libyaml reads an unquoted `*` as an alias; say how to write the key.
    private func hintForUnquotedKey(around markLines: [Int]) -> String? {
        for markLine in markLines {
            let line = markLine + 1
            guard let span = lines.lineBytes(line) else { continue }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[span]), as: UTF8.self)
            let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "-" }
            if trimmed.hasPrefix("*") || trimmed.hasPrefix("&") || text.contains(": *") {
                return "keys '*' and '#' must be quoted in YAML: write \"*\": ... or use the alias star (or hash / pound for '#')"
            }
        }
        return nil
    }
}
