/// Turns a YAML tree into the flow AST, raising the structural diagnostics:
/// unknown fields (E003), missing ones (E004), wrong types (E005), invalid
/// values (E006), menu keys (E101, E102), built-in node names (E210), hours (E405),
/// expression syntax (E402).
///
/// A part that cannot be built is left out and its node is marked malformed,
/// so later analyses skip it instead of reporting consequences of one mistake.
struct FlowBuilder {
    var sink: DiagnosticSink
    /// Set while building a node when one of its parts could not be built.
    var nodeIsMalformed = false
    /// Nodes already built while the file was being read (see `FlowParser`).
    var streamed: StreamedNodes?

    /// The file's bytes, for `sourceMap(_:)`: where a scalar's characters stand.
    let source: [UInt8]

    init(file: String, source: [UInt8]) {
        sink = DiagnosticSink(file: file)
        self.source = source
    }

    static let flowFields = [
        "ivr", "description", "extension", "customer", "servers", "language", "voice",
        "start", "defaults", "hours", "events", "inputs", "nodes",
    ]
    static let flowFieldNames = FieldNames(flowFields)
    static let defaultsFields: FieldNames = ["timeout", "inter-digit-timeout", "attempts"]
    static let eventsFields: FieldNames = ["url"]

    /// `root` must stay alive while the flow is built (the builder's views do not keep it).
    mutating func buildFlow(_ root: YAMLNode) -> Flow? {
        withExtendedLifetime(root) { buildFlow(view: YAMLView(root)) }
    }

    private mutating func buildFlow(view root: YAMLView) -> Flow? {
        guard let fields = fields(of: root, in: "a flow file", allowed: Self.flowFieldNames) else { return nil }
        var name = Located("", root.range)
        if let node = fields.require("ivr", &self, what: "'ivr' (the flow name)"), let text = string(node, "ivr") {
            name = Located(text, node.range)
            if !Self.isFlowName(text) {
                sink.emit(.E006, "flow name '\(text)' must match [a-z][a-z0-9_-]*", at: node.range,
                          help: "use lower-case letters, digits, '-' and '_', starting with a letter")
            }
        }
        var flow = Flow(file: sink.file, name: name, range: root.range)
        flow.description = fields["description"].flatMap { locatedString($0, "description") }
        if let node = fields["extension"], let ext = locatedString(node, "extension") {
            if ext.value.isEmpty || !ext.value.allSatisfy(\.isASCIIDigit) {
                sink.emit(.E006, "extension '\(ext.value)' must be digits", at: node.range)
            } else {
                flow.extensionNumber = ext
            }
        }
        flow.customer = fields["customer"].flatMap { locatedString($0, "customer") }
        if let node = fields["servers"] { flow.servers = stringList(node, "servers") }
        flow.language = fields["language"].flatMap { languageTag($0, "language") }
        flow.voice = fields["voice"].flatMap { locatedString($0, "voice") }
        flow.start = fields["start"].flatMap { locatedString($0, "start") }
        if let node = fields["defaults"] { flow.defaults = buildDefaults(node) }
        if let node = fields["hours"] { flow.hours = buildHours(node) }
        if let node = fields["events"] { flow.events = buildEvents(node) }
        if let node = fields["inputs"] { flow.inputs = buildInputs(node) }
        if let node = fields.require("nodes", &self, what: "'nodes'") { flow.nodes = buildNodes(node) }
        return flow
    }

    /// `inputs: [first_name, appointment]`: variable names, each once, none a built-in.
    private mutating func buildInputs(_ node: YAMLView) -> [Located<String>] {
        if node.scalar != nil, !node.isNull {
            sink.emit(.E005, "'inputs' must be a list of variable names, found a string", at: node.range,
                      help: "write it as a list: inputs: [first_name, appointment]")
            return []
        }
        guard let items = node.lazyItems else {
            sink.emit(.E005, "'inputs' must be a list of variable names, found \(node.kindName)", at: node.range)
            return []
        }
        var inputs: [Located<String>] = []
        for item in items {
            guard let name = variableName(item, "inputs", settingBuiltins: false) else { continue }
            if let first = inputs.first(where: { $0.value == name.value }) {
                sink.emit(.E006, "input '\(name.value)' is listed twice in 'inputs' (first at line \(first.range.start.line))",
                          at: name.range)
                continue
            }
            inputs.append(name)
        }
        nodeIsMalformed = false
        return inputs
    }

    static func isFlowName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCIILower else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILower || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
    }

    mutating func buildDefaults(_ node: YAMLView) -> Defaults {
        var defaults = Defaults()
        guard let fields = fields(of: node, in: "defaults", allowed: Self.defaultsFields) else {
            return defaults
        }
        defaults.timeout = fields["timeout"].flatMap { duration($0, "timeout", DurationLimits.keyTimeout) }
        defaults.interDigitTimeout = fields["inter-digit-timeout"].flatMap { duration($0, "inter-digit-timeout", DurationLimits.interDigitTimeout) }
        defaults.attempts = fields["attempts"].flatMap { attempts($0) }
        return defaults
    }

    mutating func buildEvents(_ node: YAMLView) -> Events? {
        guard let fields = fields(of: node, in: "events", allowed: Self.eventsFields),
              let urlNode = fields.require("url", &self, what: "'url'"),
              let url = interpolated(urlNode, "url") else { return nil }
        if !Self.isHTTPURL(url.value.raw) {
            sink.emit(.E006, "events url '\(url.value.raw)' must be an http:// or https:// URL", at: urlNode.range)
        }
        return Events(url: url, range: node.range)
    }

    static func isHTTPURL(_ s: String) -> Bool {
        (s.hasPrefix("https://") && s.count > 8) || (s.hasPrefix("http://") && s.count > 7)
    }

    mutating func buildNodes(_ node: YAMLView) -> [Node] {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "'nodes' must be a mapping of node names to nodes, found \(node.kindName)", at: node.range)
            return []
        }
        if pairs.isEmpty {
            sink.emit(.E004, "a flow needs at least one node", at: node.range)
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(pairs.count)
        let streamed = streamed?.mapping == node.index ? streamed : nil
        for (i, pair) in pairs.enumerated() {
            if let streamed, i < streamed.entries.count,
               streamed.entries[i].key == pair.key.index, streamed.entries[i].value == pair.value.index {
                let entry = streamed.entries[i]
                for d in entry.diagnostics { sink.emit(d) }
                if let built = entry.node { nodes.append(built) }
                continue
            }
            if let built = buildNode(pair.key, pair.value) { nodes.append(built) }
        }
        return nodes
    }

    /// One `name: steps` pair of `nodes`.
    mutating func buildNode(_ key: YAMLView, _ value: YAMLView) -> Node? {
        guard let name = key.scalar else {
            sink.emit(.E005, "a node name must be a string, found \(key.kindName)", at: key.range)
            return nil
        }
        if Self.builtinTarget(key) != nil {
            sink.emit(.E210, "node '\(name)' is named after the built-in target '\(name)'", at: key.range,
                      help: "rename the node, e.g. '\(name)-node'; '\(name)' as a target always means the built-in")
        } else if name.isEmpty {
            sink.emit(.E006, "a node name cannot be empty", at: key.range)
        }
        nodeIsMalformed = false
        let steps = buildStepList(value, context: "node '\(name)'")
        var built = Node(name: Located(name, key.range), steps: steps, range: value.range)
        built.isMalformed = nodeIsMalformed
        return built
    }
}
