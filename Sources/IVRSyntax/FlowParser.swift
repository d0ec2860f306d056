/// Reads a flow file or a manifest: YAML text to the typed AST, with the
/// structural diagnostics of the builder (E001-E007, E101, E102, E210, ...).
public enum FlowParser {
    /// Every code the reader and the builder raise, for flows and manifests
    /// (checked against what they raise on the checker's fixtures).
    package static let raises: Set<DiagnosticCode> = [
        .E001, .E002, .E003, .E004, .E005, .E006, .E007, .E101, .E102, .E106, .E210, .E402, .E405, .E504,
    ]

    /// Parses one flow file. `flow` is nil when the file is too broken to
    /// describe a flow (no mapping, no name, a YAML error).
    public static func parseFlow(_ bytes: [UInt8], file: String) -> (flow: Flow?, diagnostics: [Diagnostic], lines: LineTable) {
        parseFlow(bytes, file: file, pipelined: nil)
    }

    /// `parseFlow(_:file:)`, with libyaml on a second thread (true) or on the
    /// calling one (false); nil decides by size (see `YAMLReader.read`). Either
    /// way each node is built as soon as the reader has read it.
    public static func parseFlow(_ bytes: [UInt8], file: String, pipelined: Bool?) -> (flow: Flow?, diagnostics: [Diagnostic], lines: LineTable) {
        parseFlow(bytes, file: file, pipelined: pipelined, streaming: true)
    }

    /// `streaming: false` builds every node after the whole file is read (for tests).
    static func parseFlow(_ bytes: [UInt8], file: String, pipelined: Bool?, streaming: Bool)
        -> (flow: Flow?, diagnostics: [Diagnostic], lines: LineTable) {
        var nodeBuilder = FlowBuilder(file: file, source: bytes)
        var streamed = StreamedNodes()
        let read = YAMLReader.read(bytes, file: file, pipelined: pipelined, watching: streaming ? "nodes" : nil) { key, value in
            streamed.entries.append(nodeBuilder.streamNode(key, value))
        }
        let doc = read.document
        guard let root = doc.root else {
            var diagnostics = doc.diagnostics
            if diagnostics.isEmpty {
                diagnostics.append(Diagnostic(.E004, "the flow file is empty; a flow needs 'ivr' and 'nodes'",
                                              file: file, range: .unknown))
            }
            return (nil, diagnostics, doc.lines)
        }
        streamed.mapping = read.watchedMapping.map(Int.init)
        // The nodes the reader had no time for, built now on every core.
        streamed.entries += FlowBuilder.buildNodes(read.remainingPairs, file: file, source: bytes)
        var builder = FlowBuilder(file: file, source: bytes)
        builder.streamed = streamed
        let flow = builder.buildFlow(root)
        return (flow, doc.diagnostics + builder.sink.diagnostics, doc.lines)
    }

    /// Parses `ivr-project.yaml`.
    public static func parseManifest(_ bytes: [UInt8], file: String) -> (manifest: Manifest?, diagnostics: [Diagnostic], lines: LineTable) {
        let doc = YAMLReader.read(bytes, file: file)
        guard let root = doc.root else {
            return (doc.diagnostics.isEmpty ? Manifest(file: file) : nil, doc.diagnostics, doc.lines)
        }
        var builder = FlowBuilder(file: file, source: bytes)
        let manifest = builder.buildManifest(root)
        return (manifest, doc.diagnostics + builder.sink.diagnostics, doc.lines)
    }
}
