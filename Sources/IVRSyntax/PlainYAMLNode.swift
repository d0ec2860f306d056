/// A YAML node as ordinary Swift values: what the reader's plain path
/// (`PlainYAMLReader`) makes, and what a fast-path `YAMLNode` turns into
/// (`init(_:)`) when the two paths are compared. Two nodes are equal when
/// they have the same shape, style, text (byte for byte), range and
/// children; an alias is a copy of its anchor's node with the alias's range.
package struct PlainYAMLNode: Hashable, Sendable {
    package enum Content: Hashable, Sendable {
        /// The scalar's UTF-8 text as libyaml gave it.
        case scalar([UInt8], YAMLNode.ScalarStyle)
        /// In file order, merged `<<` pairs last.
        case mapping([Pair])
        case sequence([PlainYAMLNode])
    }

    package struct Pair: Hashable, Sendable {
        package var key: PlainYAMLNode
        package var value: PlainYAMLNode
    }

    package var content: Content
    package var range: SourceRange

    package init(_ content: Content, range: SourceRange) {
        self.content = content
        self.range = range
    }

    /// The same node, read through `YAMLNode`'s public queries.
    package init(_ node: YAMLNode) {
        range = node.range
        switch node.shape {
        case .scalar: content = .scalar(Array((node.scalar ?? "").utf8), node.style)
        case .mapping: content = .mapping((node.pairs ?? []).map { Pair(key: .init($0.key), value: .init($0.value)) })
        case .sequence: content = .sequence((node.items ?? []).map(PlainYAMLNode.init))
        }
    }

    /// The scalar's text, nil for collections.
    package var scalar: String? {
        guard case .scalar(let text, _) = content else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// A plain `<<` scalar: a merge key.
    var isMergeKey: Bool {
        guard case .scalar(let text, let style) = content else { return false }
        return style == .plain && text == Array("<<".utf8)
    }
}

/// What the plain path read from one file: `YAMLDocument` in plain values.
package struct PlainYAMLDocument: Sendable {
    package var root: PlainYAMLNode?
    package var diagnostics: [Diagnostic]
    /// The byte offset where each line starts (`LineTable.starts`).
    package var lineStarts: [Int]
}
