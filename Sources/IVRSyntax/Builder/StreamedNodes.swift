/// Nodes of a flow built while the reader was still parsing the rest of the
/// file: `FlowParser` builds each pair of `nodes:` as soon as the reader
/// hands it over, so building overlaps with libyaml's parsing (see
/// docs/performance.md). When the whole flow is built, `buildNodes` takes
/// these instead of building the same pairs again, with the diagnostics each
/// one raised, in the same order; a pair it does not find here (merged in by
/// `<<`, or a `nodes` that is not the mapping watched) is built then.
struct StreamedNodes {
    struct Entry: Sendable {
        /// The pair's key and value records.
        var key: Int
        var value: Int
        /// Nil when the pair is no node (its name is not a string).
        var node: Node?
        /// What building it reported.
        var diagnostics: [Diagnostic]
    }

    /// The `nodes` mapping's record, once it was read whole.
    var mapping: Int?
    /// In the order of the mapping's pairs.
    var entries: [Entry] = []
}

extension FlowBuilder {
    /// Builds one pair of `nodes` as it is read.
    mutating func streamNode(_ key: YAMLNode, _ value: YAMLNode) -> StreamedNodes.Entry {
        let before = sink.diagnostics.count
        let node = withExtendedLifetime(key) { buildNode(YAMLView(key), YAMLView(value)) }
        let reported = sink.diagnostics.count > before ? Array(sink.diagnostics[before...]) : []
        return StreamedNodes.Entry(key: key.index, value: value.index, node: node, diagnostics: reported)
    }

    /// Builds pairs of `nodes` read but not yet built, on every core (each
    /// piece with a builder of its own), in order.
    static func buildNodes(_ pairs: [(key: YAMLNode, value: YAMLNode)], file: String, source: [UInt8]) -> [StreamedNodes.Entry] {
        let pieces = min(pairs.count, 32)
        guard pieces > 0 else { return [] }
        let built = Concurrently.map(pieces) { piece -> [StreamedNodes.Entry] in
            var builder = FlowBuilder(file: file, source: source)
            let range = pairs.count * piece / pieces..<pairs.count * (piece + 1) / pieces
            return range.map { builder.streamNode(pairs[$0].key, pairs[$0].value) }
        }
        return built.flatMap { $0 }
    }
}
