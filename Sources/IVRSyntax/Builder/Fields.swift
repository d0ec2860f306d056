/// The names a mapping of the language may hold, read once into a
/// `ProbeTable` so that keys are matched on bytes, with no reference counting.
struct FieldNames: ExpressibleByArrayLiteral, Sendable {
    let table: ProbeTable

    init(_ names: [String]) {
        precondition(names.count <= 32, "Fields keeps at most 32 names")
        table = ProbeTable(names)
    }

    init(arrayLiteral names: String...) { self.init(names) }

    /// The names, for messages.
    var names: [String] { Array(table.names) }

    /// The position of `name` among the names. Called with the builder's
    /// literals: compares lengths and bytes, makes no string.
    func position(of name: StaticString) -> Int? {
        // NOTE: a `StaticString`'s bytes are in the binary: valid forever.
        table.position(of: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }
}

/// The fields of one YAML mapping, checked against the names it allows. The
/// mapping is read once (`fields(of:in:allowed:)`): the value of the first
/// pair with each allowed key is remembered, so looking a field up costs no
/// scan of the keys.
struct Fields {
    let node: YAMLView
    let allowed: FieldNames
    /// For each allowed name, the position in the tree's `children` of the
    /// first value with that key; -1 when the mapping has none (inline: no allocation).
    fileprivate var values: SIMD32<Int32>

    /// The value of the first pair with this key.
    subscript(name: StaticString) -> YAMLView? {
        guard let i = allowed.position(of: name) else {
            return node.value(forKey: name.description)
        }
        let position = values[i]
        guard position >= 0 else { return nil }
        return YAMLView(tree: node.tree, index: Int(node.tree.pointee.children[Int(position)]))
    }

    /// The key of the first pair with this key.
    func key(_ name: StaticString) -> YAMLView? {
        guard let i = allowed.position(of: name) else {
            return node.key(name.description)
        }
        let position = values[i]
        guard position >= 0 else { return nil }
        return YAMLView(tree: node.tree, index: Int(node.tree.pointee.children[Int(position) - 1]))
    }

    /// The value of a required field, or an E004 at the mapping.
    func require(_ name: StaticString, _ builder: inout FlowBuilder, what: String) -> YAMLView? {
        if let value = self[name] { return value }
        builder.sink.emit(.E004, "missing required field \(what)", at: headRange,
                          help: "add '\(name): ...'")
        builder.nodeIsMalformed = true
        return nil
    }

    /// Where "missing field" diagnostics point: the first key of the mapping
    /// (its first line), or the mapping itself when it is empty.
    var headRange: SourceRange {
        if let first = node.lazyPairs?.first { return first.key.range }
        return node.range
    }
}

extension FlowBuilder {
    /// Reads a mapping and reports every key not in `allowed` (E003, with a
    /// suggestion) and non-scalar keys (E005). `suggestions` names the field
    /// meant by a key too far from it to be guessed (`option` for `options`).
    mutating func fields(of node: YAMLView, in context: String, allowed: FieldNames,
                         suggestions: [String: String] = [:]) -> Fields? {
        guard let pairs = node.lazyPairs else {
            sink.emit(.E005, "\(context) must be a mapping, found \(node.kindName)", at: node.range)
            nodeIsMalformed = true
            return nil
        }
        var values = SIMD32<Int32>(repeating: -1)
        let storage = node.tree
        for pair in pairs {
            let keyIndex = Int(storage.pointee.children[pair.position])
            guard storage.pointee.records[keyIndex].shape == .scalar else {
                let keyNode = pair.key
                sink.emit(.E005, "a key in \(context) must be a string, found \(keyNode.kindName)", at: keyNode.range)
                continue
            }
            if let i = storage.pointee.firstMatch(keyIndex, in: allowed.table) {
                if values[i] < 0 { values[i] = Int32(pair.position + 1) }
            } else {
                let key = storage.pointee.string(keyIndex)
                if key == "password" {
                    sink.writtenPassword(key: storage.pointee.records[keyIndex].range, value: pair.value.range, in: context)
                    continue
                }
                unknownField(key, at: storage.pointee.records[keyIndex].range, in: context, allowed: allowed.names,
                             suggestion: suggestions[key])
            }
        }
        return Fields(node: node, allowed: allowed, values: values)
    }

    /// E003 for `key` (`DiagnosticSink.unknownField`).
    mutating func unknownField(_ key: String, at range: SourceRange, in context: String, allowed: [String],
                               suggestion: String? = nil, help: String? = nil) {
        sink.unknownField(key, at: range, in: context, allowed: allowed, suggestion: suggestion, help: help)
    }
}
