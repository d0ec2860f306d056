/// Builds a `YAMLStorage` from parse events (the reader feeds it; this file
/// knows nothing of libyaml). Keeps the YAML rules the flow language relies
/// on: duplicate keys (E002, with a note at the first, see
/// `YAMLTreeAssembler+Keys.swift`), merge keys (`<<`), and alias accounting
/// (an alias costs the size of its anchor's subtree, counted, never copied).
///
/// Open collections keep their children on one shared scratch stack; when a
/// collection closes, its run is copied to `children` in one go. A frame is
/// a plain value; what few collections have (an anchor, `<<` merges, the key
/// index of a large mapping) is kept on side stacks, so opening and closing
/// a collection costs no reference counting.
struct YAMLTreeAssembler {
    /// An open mapping or sequence.
    struct Frame {
        var isMapping: Bool
        /// Written in flow style; a block collection ends at its last child.
        var isFlow: Bool
        /// Its anchor is the last of `frameAnchors`.
        var hasAnchor: Bool
        /// It has entries in `pendingMerges`.
        var hasMerges = false
        /// Its keys are in the last of `keyIndexes` (a large mapping).
        var hasKeyIndex = false
        /// A key is not pure ASCII: `keyBits` cannot rule out a repeat.
        var hasNonASCIIKey = false
        /// Where its children start on `scratch` (keys and values alternate for mappings).
        var scratchStart: Int
        var start: SourceLocation
        /// Nodes in the subtree, aliases counted at their expanded size.
        var size = 1
        /// One bit per key read, chosen by its length and first bytes: a key
        /// whose bit is clear cannot repeat an earlier one.
        var keyBits: UInt64 = 0
    }

    enum AliasOutcome { case added, unknownAnchor, tooLarge }

    let file: String
    private(set) var storage = YAMLStorage()
    /// The tree the storage moves into; lent it while reading (see `lend(_:)`).
    private let tree = YAMLTree()
    private(set) var root: Int32?
    var diagnostics: [Diagnostic] = []
    var scratch: [Int32] = []
    var frames: [Frame] = []
    private var frameAnchors: [String] = []
    /// Values of `<<` keys of open mappings (with the frame), merged when the mapping closes.
    private var pendingMerges: [(frame: Int, value: Int32)] = []
    /// First use of each key of the open mappings that grew large.
    var keyIndexes: [[String: Int32]] = []
    private var anchors: [String: (index: Int32, size: Int)] = [:]
    private var expanded = 0
    /// The root key whose mapping value is watched (see `YAMLReader.read`).
    private var watchedKey: KeyProbe?
    /// The frame of the watched mapping while it is open; -1 otherwise.
    private var watchedFrame = -1
    /// The first root pair with the watched key has been read.
    private var watchSettled = false
    /// The pairs of the watched mapping read so far (its own pairs, in order;
    /// merged `<<` pairs are not included), as key and value records.
    private(set) var watchedPairs: [(key: Int32, value: Int32)] = []
    /// The watched mapping's record, once it has closed.
    private(set) var watchedMapping: Int32?

    init(file: String, sourceSize: Int, watching rootKey: String? = nil) {
        self.file = file
        watchedKey = rootKey.map(KeyProbe.init)
        // A little above a typical flow file's shares (about one node per 10
        // bytes, text about half), so that they seldom grow; untouched
        // capacity costs address space, not memory.
        storage.records.reserveCapacity(sourceSize / 8 + 16)
        storage.children.reserveCapacity(sourceSize / 8 + 16)
        storage.text.reserveCapacity(sourceSize * 3 / 4 + 16)
        scratch.reserveCapacity(256)
    }

    /// Open collections.
    var depth: Int { frames.count }

    /// Runs `body` with the tree holding the nodes read so far, for node
    /// views made before the end. The storage is moved, not copied, both ways,
    /// so appending to it afterwards copies nothing.
    mutating func lend<R>(_ body: (YAMLTree) -> R) -> R {
        swap(&storage, &tree.storage)
        defer { swap(&storage, &tree.storage) }
        return body(tree)
    }

    /// The finished tree, which now owns (and will free) the storage; the
    /// assembler is done with it. Called exactly once, however reading ended.
    mutating func finish() -> YAMLTree {
        swap(&storage, &tree.storage)
        return tree
    }

    /// Appends scalar text to the storage (a block's worth at once); returns its offset.
    // NOTE: `bytes` (a block's `storedBytes`) is copied during the call, not kept.
    mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let offset = storage.text.count
        storage.text.append(contentsOf: bytes)
        return offset
    }

    /// A scalar whose text is `count` bytes at `first` of the storage's text,
    /// starting with `prefix` (see `YAMLStorage.prefix`).
    mutating func scalar(first: Int, count: Int, prefix: UInt64, isASCII: Bool, style: YAMLNode.ScalarStyle,
                         range: SourceRange, anchor: String?) {
        storage.records.append(YAMLStorage.Record(range: range, prefix: prefix, first: Int32(first), count: Int32(count),
                                                  shape: .scalar, style: style, isASCII: isASCII))
        add(Int32(storage.records.count - 1), size: 1, anchor: anchor)
    }

    mutating func alias(_ name: String, range: SourceRange, limit: Int) -> AliasOutcome {
        guard let target = anchors[name] else { return .unknownAnchor }
        expanded += target.size
        if expanded > limit { return .tooLarge }
        var record = storage.records[Int(target.index)]
        record.range = range
        storage.records.append(record)
        add(Int32(storage.records.count - 1), size: target.size, anchor: nil)
        return .added
    }

    mutating func open(mapping: Bool, isFlow: Bool = true, start: SourceLocation, anchor: String?) {
        if mapping, frames.count == 1, let watchedKey, !watchSettled, frames[0].isMapping,
           (scratch.count - frames[0].scratchStart) & 1 == 1,
           storage.scalar(Int(scratch[scratch.count - 1]), matches: watchedKey) {
            watchedFrame = 1
        }
        if let anchor { frameAnchors.append(anchor) }
        frames.append(Frame(isMapping: mapping, isFlow: isFlow, hasAnchor: anchor != nil, scratchStart: scratch.count, start: start))
    }

    /// Closes the innermost collection; false when none is open. `end` is
    /// the parser's end mark; a block collection ends where its last child
    /// ends instead (the mark is where the next token starts, often a later
    /// line, which would stretch a diagnostic's range over blank lines and
    /// comments).
    mutating func close(end: SourceLocation) -> Bool {
        guard let frame = frames.popLast() else { return false }
        var end = end
        if !frame.isFlow, scratch.count > frame.scratchStart {
            let lastEnd = storage.records[Int(scratch[scratch.count - 1])].range.end
            if lastEnd < end, frame.start < lastEnd { end = lastEnd }
        }
        let closesWatched = frames.count == watchedFrame
        if closesWatched { watchedFrame = -1 }
        let first = Int32(storage.children.count)
        var count = scratch.count - frame.scratchStart
        // NOTE: the pointer is used only inside the closure, to copy the run in one go.
        scratch.withUnsafeBufferPointer { run in
            storage.children.append(contentsOf: UnsafeBufferPointer(rebasing: run[frame.scratchStart...]))
        }
        scratch.removeLast(count)
        if frame.hasKeyIndex { keyIndexes.removeLast() }
        if frame.isMapping {
            if count & 1 == 1 { // a key without a value (libyaml never sends one)
                storage.children.removeLast()
                count -= 1
            }
            count /= 2
            if frame.hasMerges {
                var merges: [Int32] = []
                while let last = pendingMerges.last, last.frame == frames.count {
                    merges.append(last.value)
                    pendingMerges.removeLast()
                }
                count += appendMerged(merges.reversed(), ownPairs: Int(first), count: count)
            }
        }
        storage.records.append(YAMLStorage.Record(
            range: SourceRange(start: frame.start, end: end), prefix: 0, first: first, count: Int32(count),
            shape: frame.isMapping ? .mapping : .sequence, style: .plain, isASCII: true))
        if closesWatched { watchedMapping = Int32(storage.records.count - 1) }
        add(Int32(storage.records.count - 1), size: frame.size, anchor: frame.hasAnchor ? frameAnchors.removeLast() : nil)
        return true
    }

    private mutating func add(_ index: Int32, size: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (index, size) }
        let top = frames.count - 1
        guard top >= 0 else {
            root = index
            return
        }
        frames[top].size += size
        guard frames[top].isMapping else {
            scratch.append(index)
            return
        }
        if (scratch.count - frames[top].scratchStart) & 1 == 1 { // the value of the pending key
            let key = scratch[scratch.count - 1]
            if storage.isMergeKey(Int(key)) {
                scratch.removeLast()
                frames[top].hasMerges = true
                pendingMerges.append((top, index))
            } else {
                scratch.append(index)
                if top == watchedFrame {
                    watchedPairs.append((key, index))
                } else if top == 0, let watchedKey, !watchSettled, storage.scalar(Int(key), matches: watchedKey) {
                    watchSettled = true
                }
            }
            return
        }
        let key = Int(index)
        if storage.records[key].shape == .scalar, !storage.isMergeKey(key) {
            checkRepeat(of: key, in: top)
        }
        scratch.append(index)
    }

    /// Appends the pairs that `<<` merge keys bring in, minus keys the mapping
    /// sets itself (or an earlier source brought); returns how many.
    private mutating func appendMerged(_ merges: [Int32], ownPairs first: Int, count: Int) -> Int {
        var seen = Set<String>()
        for pair in 0..<count {
            let key = Int(storage.children[first + 2 * pair])
            if storage.records[key].shape == .scalar { seen.insert(storage.string(key)) }
        }
        var sources: [Int] = []
        for merge in merges.map(Int.init) {
            let r = storage.records[merge]
            if r.shape == .sequence {
                sources += storage.children[Int(r.first)..<Int(r.first + r.count)].map(Int.init)
            } else {
                sources.append(merge)
            }
        }
        var added = 0
        for source in sources {
            let r = storage.records[source]
            guard r.shape == .mapping else { continue }
            for pair in 0..<Int(r.count) {
                let key = storage.children[Int(r.first) + 2 * pair]
                let value = storage.children[Int(r.first) + 2 * pair + 1]
                guard storage.records[Int(key)].shape == .scalar,
                      seen.insert(storage.string(Int(key))).inserted else { continue }
                storage.children.append(key)
                storage.children.append(value)
                added += 1
            }
        }
        return added
    }
}
