internal import CYAML

/// The result of reading one YAML file: the tree (nil when the file could not
/// be read as one YAML document) and what went wrong.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]
    public var lines: LineTable
}

/// Reads YAML through libyaml's event API into a `YAMLNode` tree that keeps
/// both marks of every node. This is the only file that talks to libyaml.
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

    public static func read(_ bytes: [UInt8], file: String) -> YAMLDocument {
        if bytes.count > maxFileSize {
            let d = Diagnostic(
                .E007,
                "file is \(bytes.count / (1 << 20)) MiB; flows larger than \(maxFileSize >> 20) MiB are not read",
                file: file, range: .unknown)
            return YAMLDocument(root: nil, diagnostics: [d], lines: LineTable(bytes.prefix(0)))
        }
        let lines = LineTable(bytes)
        if bytes.isEmpty {
            return YAMLDocument(root: nil, diagnostics: [], lines: lines)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = EventReader(file: file, lines: lines, bytes: buffer)
            reader.run()
            return YAMLDocument(root: reader.root, diagnostics: reader.diagnostics, lines: lines)
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

    init(file: String, lines: LineTable, bytes: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.lines = lines
        self.bytes = bytes
        self.assembler = YAMLTreeAssembler(file: file, sourceSize: bytes.count)
    }

    /// The tree, unless reading failed.
    var root: YAMLNode? {
        guard !failed, let root = assembler.root else { return nil }
        return YAMLNode(YAMLTree(assembler.storage), Int(root))
    }

    /// Duplicate keys first (found while reading), then what stopped the reader.
    var diagnostics: [Diagnostic] {
        failures.isEmpty ? assembler.diagnostics : assembler.diagnostics + failures
    }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            failures.append(Diagnostic(.E001, "could not start the YAML parser", file: file, range: .unknown))
            failed = true
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                syntaxError(parser)
                failed = true
                return
            }
            let keepGoing = handle(event)
            yaml_event_delete(&event)
            if !keepGoing {
                return
            }
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        let line = Int(mark.line) + 1
        let column = Int(mark.column) + 1
        return SourceLocation(line: line, column: column, offset: lines.offset(line: line, column: column, in: bytes))
    }

    private func range(_ event: yaml_event_t) -> SourceRange {
        SourceRange(start: location(event.start_mark), end: location(event.end_mark))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        // NOTE: libyaml's anchors and tags are NUL-terminated UTF-8.
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    ]

    /// Returns false to stop reading.
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return false
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                fail(.E007, "a flow file holds one YAML document; this is document \(documents)", range(event),
                     help: "put each flow in its own file")
                return false
            }
            return true
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
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
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            if !checkTag(scalar.tag, event) { return false }
            let style: YAMLNode.ScalarStyle
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = scalar.tag == nil ? .plain : .doubleQuoted // `!!str 1` is a string
            }
            let anchor = scalar.anchor == nil ? nil : Self.string(scalar.anchor)
            assembler.scalar(UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)),
                             style: style, range: range(event), anchor: anchor)
            return true
        case YAML_SEQUENCE_START_EVENT:
            if !checkTag(event.data.sequence_start.tag, event) { return false }
            return push(mapping: false, event, anchor: Self.string(event.data.sequence_start.anchor))
        case YAML_MAPPING_START_EVENT:
            if !checkTag(event.data.mapping_start.tag, event) { return false }
            return push(mapping: true, event, anchor: Self.string(event.data.mapping_start.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            return assembler.close(end: location(event.end_mark))
        default:
            return true
        }
    }

    private mutating func checkTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t) -> Bool {
        guard let tag = Self.string(tag) else { return true }
        if Self.coreTags.contains(tag) { return true }
        fail(.E007, "YAML tag '\(tag)' is not supported", range(event),
             help: "remove the tag; flow files use plain YAML values")
        return false
    }

    private mutating func push(mapping: Bool, _ event: yaml_event_t, anchor: String?) -> Bool {
        if assembler.depth >= YAMLReader.maxDepth {
            fail(.E007, "YAML nested deeper than \(YAMLReader.maxDepth) levels", range(event))
            return false
        }
        assembler.open(mapping: mapping, start: location(event.start_mark), anchor: anchor)
        return true
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, _ range: SourceRange, help: String? = nil) {
        failures.append(Diagnostic(code, message, file: file, range: range, help: help))
        failed = true
    }

    private mutating func syntaxError(_ parser: yaml_parser_t) {
        let problem = Self.cString(parser.problem) ?? "malformed YAML"
        let context = Self.cString(parser.context)
        var message = problem
        if let context { message += " " + context }
        let mark = location(parser.problem_mark)
        var notes: [Diagnostic.Note] = []
        if context != nil, parser.context_mark.line != parser.problem_mark.line
            || parser.context_mark.column != parser.problem_mark.column {
            notes.append(Diagnostic.Note(context!, file: file, range: SourceRange(at: location(parser.context_mark))))
        }
        let help = hintForUnquotedKey(around: parser)
        failures.append(Diagnostic(.E001, "YAML syntax error: " + message, file: file,
                                      range: SourceRange(at: mark), notes: notes, help: help))
    }

    private static func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// libyaml reads an unquoted `*` as an alias; say how to write the key.
    private func hintForUnquotedKey(around parser: yaml_parser_t) -> String? {
        for mark in [parser.context_mark, parser.problem_mark] {
            let line = Int(mark.line) + 1
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
