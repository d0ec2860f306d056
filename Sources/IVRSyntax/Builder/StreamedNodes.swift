/// Nodes of a flow built while the reader was still parsing the rest of the
/// file: `FlowParser` builds each pair of `nodes:` as soon as the reader
/// hands it over, so building overlaps with libyaml's parsing (see
/// docs/performance.md). When the whole flow is built, `buildNodes` takes
/// these instead of building the same pairs again, with the diagnostics each
/// one raised, in the same order; a pair it does not find here (merged in by
/// `<<`, or a `nodes` that is not the mapping watched) is built then.
struct StreamedNodes {
    struct Entry {
        /// The pair's key and value records.
        var key: Int
        var value: Int
        /// Nil when the pair is no node (its name is not a string).
        var node: Node?
        /// What building it reported: a range of `diagnostics`.
        var diagnostics: Range<Int>
    }

    /// The `nodes` mapping's record, once it was read whole.
    var mapping: Int?
    var entries: [Entry] = []
    var diagnostics: [Diagnostic] = []
}

extension FlowBuilder {
    /// Builds one pair of `nodes` as it is read, into `streamed`.
    mutating func streamNode(_ key: YAMLNode, _ value: YAMLNode, into streamed: inout StreamedNodes) {
        let before = sink.diagnostics.count
        let node = withExtendedLifetime(key) { buildNode(YAMLView(key), YAMLView(value)) }
        streamed.entries.append(StreamedNodes.Entry(key: key.index, value: value.index, node: node,
                                                    diagnostics: before..<sink.diagnostics.count))
    }
}
