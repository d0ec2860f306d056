/// A YAML node as read from libyaml events, with the source range of both
/// its ends. Scalars stay untyped text: the flow builder types them itself
/// (no YAML 1.1 booleans: `no` is the string "no").
///
/// A node is a light view (the document's storage and an index):
/// `lazyPairs` and `lazyItems` are collections over the document's arrays
/// (`pairs`, `items` and `kind` copy them into arrays, for callers that want
/// those) and `scalar` makes a `String` only when asked. `isScalar(_:)` and
/// `value(forKey:)` compare text without making strings.
public struct YAMLNode: Sendable {
    /// How a scalar was written; quoted scalars are never null, numbers or booleans.
    public enum ScalarStyle: UInt8, Sendable, Equatable, BitwiseCopyable {
        case plain, singleQuoted, doubleQuoted, literal, folded

        public var isQuoted: Bool { self != .plain }
    }

    /// What a node is, without its contents (cheap to ask).
    public enum Shape: UInt8, Sendable, Equatable, BitwiseCopyable {
        case scalar, mapping, sequence
    }

    /// What a node is, with its contents. Making the case makes the
    /// scalar's `String`; ask `shape` when the contents are not needed.
    public enum Kind: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    /// One `key: value` entry of a mapping.
    public struct Pair: Sendable {
        let tree: YAMLTree
        /// Position of the key in the tree's `children`; the value follows it.
        let position: Int

        public var key: YAMLNode { YAMLNode(tree, Int(tree.storage.children[position])) }
        public var value: YAMLNode { YAMLNode(tree, Int(tree.storage.children[position + 1])) }
    }

    /// The pairs of a mapping, in file order (merged `<<` pairs last).
    public struct Pairs: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let base: Int
        public let count: Int

        /// No pairs (for `node.lazyPairs ?? .empty(node)`).
        public static func empty(_ node: YAMLNode) -> Pairs { Pairs(tree: node.tree, base: 0, count: 0) }

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(i: Int) -> Pair {
            precondition(i >= 0 && i < count, "pair index out of range")
            return Pair(tree: tree, position: base + 2 * i)
        }
    }

    /// The items of a sequence.
    public struct Items: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let base: Int
        public let count: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(i: Int) -> YAMLNode {
            precondition(i >= 0 && i < count, "item index out of range")
            return YAMLNode(tree, Int(tree.storage.children[base + i]))
        }
    }

    let tree: YAMLTree
    let index: Int

    init(_ tree: YAMLTree, _ index: Int) {
        self.tree = tree
        self.index = index
    }

    private var record: YAMLStorage.Record { tree.storage.records[index] }

    public var shape: Shape { record.shape }

    public var kind: Kind {
        let r = record
        switch r.shape {
        case .scalar: return .scalar(tree.storage.string(index), r.style)
        case .mapping: return .mapping(Array(Pairs(tree: tree, base: Int(r.first), count: Int(r.count))))
        case .sequence: return .sequence(Array(Items(tree: tree, base: Int(r.first), count: Int(r.count))))
        }
    }

    /// How the scalar was written; `.plain` for mappings and sequences.
    public var style: ScalarStyle { record.style }

    public var range: SourceRange { record.range }

    /// The scalar's text, or nil for mappings and sequences.
    public var scalar: String? {
        record.shape == .scalar ? tree.storage.string(index) : nil
    }

    /// Whether the node is a scalar reading exactly `text` (any style).
    public func isScalar(_ text: String) -> Bool {
        tree.storage.scalar(index, equals: text)
    }

    /// `isScalar(_:)` for a name probed once and compared with many nodes.
    func isScalar(_ probe: KeyProbe) -> Bool {
        tree.storage.scalar(index, matches: probe)
    }

    /// True for an empty plain scalar, `~`, `null`, `Null` and `NULL`.
    public var isNull: Bool { tree.storage.isNull(index) }

    /// The pairs of a mapping as a lazy view over the document (no array is made).
    public var lazyPairs: Pairs? {
        let r = record
        guard r.shape == .mapping else { return nil }
        return Pairs(tree: tree, base: Int(r.first), count: Int(r.count))
    }

    /// The items of a sequence as a lazy view over the document (no array is made).
    public var lazyItems: Items? {
        let r = record
        guard r.shape == .sequence else { return nil }
        return Items(tree: tree, base: Int(r.first), count: Int(r.count))
    }

    /// The pairs of a mapping, as an array (`lazyPairs` makes none).
    public var pairs: [Pair]? { lazyPairs.map(Array.init) }

    /// The items of a sequence, as an array (`lazyItems` makes none).
    public var items: [YAMLNode]? { lazyItems.map(Array.init) }

    /// The value of the first pair whose key reads `key`, for mappings.
    public func value(forKey key: String) -> YAMLNode? {
        tree.storage.valuePosition(in: index, key: key).map { YAMLNode(tree, Int(tree.storage.children[$0])) }
    }

    /// The key node of the first pair whose key reads `key`, for mappings.
    public func key(_ key: String) -> YAMLNode? {
        tree.storage.valuePosition(in: index, key: key).map { YAMLNode(tree, Int(tree.storage.children[$0 - 1])) }
    }

    /// What the node is, for "expected X, found Y" messages.
    public var kindName: String {
        switch shape {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
