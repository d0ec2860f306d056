/// The builder's view of a YAML node: `YAMLNode`'s queries without its
/// strong reference. Building a flow makes and drops views by the hundred
/// thousand, and with a counted reference each would cost two atomic
/// operations on the tree.
///
/// A view must not outlive the tree it reads. Views are made only by the
/// builder, from a `YAMLNode` its caller keeps alive for the whole build
/// (`FlowBuilder.buildFlow`, `buildManifest`, `streamNode`), and none is
/// stored in the flow the builder returns.
struct YAMLView {
    /// The tree's storage (`YAMLTree.pointer`).
    // NOTE: unowned by design (see above); valid while the tree lives, which
    // the builder's entry points make explicit: `buildFlow(_:)`,
    // `buildManifest(_:)` and `streamNode` make views only inside
    // `withExtendedLifetime` of the `YAMLNode` (which holds the tree), and no
    // view escapes them. The address is fixed for the tree's lifetime.
    let tree: UnsafePointer<YAMLStorage>
    let index: Int

    // NOTE: valid while `node` (which holds the tree) is alive; see `tree`.
    init(_ node: YAMLNode) {
        tree = UnsafePointer(node.tree.pointer)
        index = node.index
    }

    // NOTE: `tree` comes from another view of the same tree (see `tree`).
    init(tree: UnsafePointer<YAMLStorage>, index: Int) {
        self.tree = tree
        self.index = index
    }

    /// One `key: value` entry of a mapping.
    struct Pair {
        // NOTE: as `YAMLView.tree`.
        let tree: UnsafePointer<YAMLStorage>
        /// Position of the key in the tree's `children`; the value follows it.
        let position: Int

        var key: YAMLView { YAMLView(tree: tree, index: Int(tree.pointee.children[position])) }
        var value: YAMLView { YAMLView(tree: tree, index: Int(tree.pointee.children[position + 1])) }
    }

    /// The pairs of a mapping, in file order (merged `<<` pairs last).
    struct Pairs: RandomAccessCollection {
        // NOTE: as `YAMLView.tree`.
        let tree: UnsafePointer<YAMLStorage>
        let base: Int
        let count: Int

        static func empty(_ node: YAMLView) -> Pairs { Pairs(tree: node.tree, base: 0, count: 0) }

        var startIndex: Int { 0 }
        var endIndex: Int { count }
        subscript(i: Int) -> Pair {
            precondition(i >= 0 && i < count, "pair index out of range")
            return Pair(tree: tree, position: base + 2 * i)
        }
    }

    /// The items of a sequence.
    struct Items: RandomAccessCollection {
        // NOTE: as `YAMLView.tree`.
        let tree: UnsafePointer<YAMLStorage>
        let base: Int
        let count: Int

        var startIndex: Int { 0 }
        var endIndex: Int { count }
        subscript(i: Int) -> YAMLView {
            precondition(i >= 0 && i < count, "item index out of range")
            return YAMLView(tree: tree, index: Int(tree.pointee.children[base + i]))
        }
    }

    private var record: YAMLStorage.Record { tree.pointee.records[index] }

    var shape: YAMLNode.Shape { record.shape }
    var style: YAMLNode.ScalarStyle { record.style }
    var range: SourceRange { record.range }

    /// The scalar's text, or nil for mappings and sequences.
    var scalar: String? {
        record.shape == .scalar ? tree.pointee.string(index) : nil
    }

    func isScalar(_ text: String) -> Bool { tree.pointee.scalar(index, equals: text) }

    /// The first of `probes` the scalar reads, if any.
    func firstMatch(in table: ProbeTable) -> Int? { tree.pointee.firstMatch(index, in: table) }

    var isNull: Bool { tree.pointee.isNull(index) }

    var lazyPairs: Pairs? {
        let r = record
        guard r.shape == .mapping else { return nil }
        return Pairs(tree: tree, base: Int(r.first), count: Int(r.count))
    }

    var lazyItems: Items? {
        let r = record
        guard r.shape == .sequence else { return nil }
        return Items(tree: tree, base: Int(r.first), count: Int(r.count))
    }

    func value(forKey key: String) -> YAMLView? {
        tree.pointee.valuePosition(in: index, key: key).map { YAMLView(tree: tree, index: Int(tree.pointee.children[$0])) }
    }

    func key(_ key: String) -> YAMLView? {
        tree.pointee.valuePosition(in: index, key: key).map { YAMLView(tree: tree, index: Int(tree.pointee.children[$0 - 1])) }
    }

    /// What the node is, for "expected X, found Y" messages.
    var kindName: String {
        switch shape {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
