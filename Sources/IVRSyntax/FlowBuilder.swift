/// Turns the YAML tree into the flow AST. (Being written.)
struct FlowBuilder {
    var sink: DiagnosticSink
    init(file: String) { sink = DiagnosticSink(file: file) }
    mutating func buildFlow(_ root: YAMLNode) -> Flow? { nil }
    mutating func buildManifest(_ root: YAMLNode) -> Manifest? { Manifest(file: sink.file) }
}
