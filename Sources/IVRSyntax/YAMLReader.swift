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
        let lines = LineTable(bytes)
        if bytes.count > maxFileSize {
            let d = Diagnostic(
                .E007,
                "file is \(bytes.count / (1 << 20)) MiB; flows larger than \(maxFileSize >> 20) MiB are not read",
                file: file, range: .unknown)
            return YAMLDocument(root: nil, diagnostics: [d], lines: lines)
        }
        if bytes.isEmpty {
            return YAMLDocument(root: nil, diagnostics: [], lines: lines)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = TreeBuilder(file: file, lines: lines, bytes: buffer)
            builder.run()
            return YAMLDocument(root: builder.root, diagnostics: builder.diagnostics, lines: lines)
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

/// Builds the node tree from the event stream with an explicit stack, so deep
/// nesting never recurses.
private struct TreeBuilder {
    /// An open mapping or sequence. Mutated in place on the stack.
    private struct Frame {
        var isMapping: Bool
        var pairs: [YAMLNode.Pair] = []
        var items: [YAMLNode] = []
        var pendingKey: YAMLNode?
        var merges: [YAMLNode] = []
        /// Key index for large mappings; small ones are scanned linearly.
        var keyIndex: [String: SourceRange]?
        var start: SourceLocation
        var anchor: String?
        var size = 1

        init(isMapping: Bool, start: SourceLocation, anchor: String?) {
            self.isMapping = isMapping
            self.start = start
            self.anchor = anchor
        }

        /// Where `name` was first used as a key, if it was.
        mutating func firstUse(of name: String) -> SourceRange? {
            if let keyIndex { return keyIndex[name] }
            for pair in pairs {
                if case .scalar(let k, let style) = pair.key.kind, k == name, !(k == "<<" && style == .plain) {
                    return pair.key.range
                }
            }
            if pairs.count >= 16 {
                var index: [String: SourceRange] = [:]
                for pair in pairs {
                    if case .scalar(let k, _) = pair.key.kind, index[k] == nil { index[k] = pair.key.range }
                }
                keyIndex = index
            }
            return nil
        }
    }

    let file: String
    let lines: LineTable
    let bytes: UnsafeBufferPointer<UInt8>
    var root: YAMLNode?
    var diagnostics: [Diagnostic] = []
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var documents = 0

    init(file: String, lines: LineTable, bytes: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.lines = lines
        self.bytes = bytes
    }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            diagnostics.append(Diagnostic(.E001, "could not start the YAML parser", file: file, range: .unknown))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                syntaxError(parser)
                root = nil
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
            guard let target = anchors[name] else {
                fail(.E001, "alias '*\(name)' names no anchor defined before it", range(event))
                return false
            }
            expanded += target.size
            if expanded > YAMLReader.maxAliasExpansion {
                fail(.E007, "aliases expand to more than \(YAMLReader.maxAliasExpansion) nodes; refusing to expand them",
                     range(event), help: "a file whose aliases multiply (a \"billion laughs\" file) is not read")
                return false
            }
            var node = target.node
            node.range = range(event)
            return add(node, size: target.size, anchor: nil)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            if !checkTag(scalar.tag, event) { return false }
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
            let style: YAMLNode.ScalarStyle
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = scalar.tag == nil ? .plain : .doubleQuoted // `!!str 1` is a string
            }
            let node = YAMLNode(kind: .scalar(value, style), range: range(event))
            return add(node, size: 1, anchor: Self.string(scalar.anchor))
        case YAML_SEQUENCE_START_EVENT:
            if !checkTag(event.data.sequence_start.tag, event) { return false }
            return push(mapping: false, event, anchor: Self.string(event.data.sequence_start.anchor))
        case YAML_MAPPING_START_EVENT:
            if !checkTag(event.data.mapping_start.tag, event) { return false }
            return push(mapping: true, event, anchor: Self.string(event.data.mapping_start.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            let whole = SourceRange(start: frame.start, end: location(event.end_mark))
            let node: YAMLNode
            if frame.isMapping {
                var pairs = frame.pairs
                if !frame.merges.isEmpty {
                    pairs.append(contentsOf: Self.merged(frame.merges, skipping: Set(pairs.compactMap { $0.key.scalar })))
                }
                node = YAMLNode(kind: .mapping(pairs), range: whole)
            } else {
                node = YAMLNode(kind: .sequence(frame.items), range: whole)
            }
            return add(node, size: frame.size, anchor: frame.anchor)
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
        if stack.count >= YAMLReader.maxDepth {
            fail(.E007, "YAML nested deeper than \(YAMLReader.maxDepth) levels", range(event))
            return false
        }
        stack.append(Frame(isMapping: mapping, start: location(event.start_mark), anchor: anchor))
        return true
    }

    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = (node, size) }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return true
        }
        stack[top].size += size
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return true
        }
        if let key = stack[top].pendingKey {
            stack[top].pendingKey = nil
            if case .scalar("<<", .plain) = key.kind {
                stack[top].merges.append(node)
            } else {
                stack[top].pairs.append(YAMLNode.Pair(key: key, value: node))
            }
            return true
        }
        if case .scalar(let name, let style) = node.kind, !(name == "<<" && style == .plain),
           let first = stack[top].firstUse(of: name) {
            diagnostics.append(Diagnostic(
                .E002, "duplicate key '\(name)'", file: file, range: node.range,
                notes: [Diagnostic.Note("'\(name)' is first defined here", file: file, range: first)],
                help: "remove one of the two entries"))
        } else if case .scalar(let name, _) = node.kind, stack[top].keyIndex != nil {
            stack[top].keyIndex![name] = node.range
        }
        stack[top].pendingKey = node
        return true
    }

    /// The pairs that `<<: *anchor` merge keys bring in, minus keys the mapping sets itself.
    private static func merged(_ merges: [YAMLNode], skipping keys: Set<String>) -> [YAMLNode.Pair] {
        var seen = keys
        var out: [YAMLNode.Pair] = []
        let sources = merges.flatMap { $0.items ?? [$0] }
        for source in sources {
            for pair in source.pairs ?? [] {
                guard let name = pair.key.scalar, !seen.contains(name) else { continue }
                seen.insert(name)
                out.append(pair)
            }
        }
        return out
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, _ range: SourceRange, help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, file: file, range: range, help: help))
        root = nil
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
        diagnostics.append(Diagnostic(.E001, "YAML syntax error: " + message, file: file,
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
