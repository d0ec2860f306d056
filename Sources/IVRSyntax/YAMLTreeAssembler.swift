/// Builds a `YAMLStorage` from parse events (the reader feeds it; this file
/// knows nothing of libyaml). Keeps the YAML rules the flow language relies
/// on: duplicate keys (E002, with a note at the first), merge keys (`<<`),
/// and alias accounting (an alias costs the size of its anchor's subtree,
/// counted, never copied).
///
/// Open collections keep their children on one shared scratch stack; when a
/// collection closes, its run is copied to `children` in one go.
struct YAMLTreeAssembler {
    /// An open mapping or sequence.
    private struct Frame {
        var isMapping: Bool
        /// Where its children start on `scratch` (keys and values alternate for mappings).
        var scratchStart: Int
        var start: SourceLocation
        var anchor: String?
        /// Nodes in the subtree, aliases counted at their expanded size.
        var size = 1
        /// Values of `<<` keys, merged when the mapping closes.
        var merges: [Int32] = []
        /// First use of each key, built once a mapping is large; small ones are scanned.
        var keyIndex: [String: Int32]?
    }

    enum AliasOutcome { case added, unknownAnchor, tooLarge }

    let file: String
    private(set) var storage = YAMLStorage()
    private(set) var root: Int32?
    private(set) var diagnostics: [Diagnostic] = []
    private var scratch: [Int32] = []
    private var frames: [Frame] = []
    private var anchors: [String: (index: Int32, size: Int)] = [:]
    private var expanded = 0

    init(file: String, sourceSize: Int) {
        self.file = file
        // Rough shares of a typical flow file; the arrays still grow past them.
        storage.records.reserveCapacity(sourceSize / 10 + 16)
        storage.children.reserveCapacity(sourceSize / 10 + 16)
        storage.text.reserveCapacity(sourceSize / 2 + 16)
        scratch.reserveCapacity(256)
    }

    /// Open collections.
    var depth: Int { frames.count }

    mutating func scalar(_ value: UnsafeBufferPointer<UInt8>, style: YAMLNode.ScalarStyle, range: SourceRange, anchor: String?) {
        let first = Int32(storage.text.count)
        storage.text.append(contentsOf: value)
        var isASCII = true
        for byte in value where byte >= 0x80 {
            isASCII = false
            break
        }
        storage.records.append(YAMLStorage.Record(range: range, prefix: YAMLStorage.prefix(value),
                                                  first: first, count: Int32(value.count),
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

    mutating func open(mapping: Bool, start: SourceLocation, anchor: String?) {
        frames.append(Frame(isMapping: mapping, scratchStart: scratch.count, start: start, anchor: anchor))
    }

    /// Closes the innermost collection; false when none is open.
    mutating func close(end: SourceLocation) -> Bool {
        guard let frame = frames.popLast() else { return false }
        let first = Int32(storage.children.count)
        var count = scratch.count - frame.scratchStart
        storage.children.append(contentsOf: scratch[frame.scratchStart...])
        scratch.removeSubrange(frame.scratchStart...)
        if frame.isMapping {
            if count & 1 == 1 { // a key without a value (libyaml never sends one)
                storage.children.removeLast()
                count -= 1
            }
            count /= 2
            if !frame.merges.isEmpty { count += appendMerged(frame.merges, ownPairs: Int(first), count: count) }
        }
        storage.records.append(YAMLStorage.Record(
            range: SourceRange(start: frame.start, end: end), prefix: 0, first: first, count: Int32(count),
            shape: frame.isMapping ? .mapping : .sequence, style: .plain, isASCII: true))
        add(Int32(storage.records.count - 1), size: frame.size, anchor: frame.anchor)
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
            if storage.isMergeKey(Int(scratch[scratch.count - 1])) {
                scratch.removeLast()
                frames[top].merges.append(index)
            } else {
                scratch.append(index)
            }
            return
        }
        let key = Int(index)
        if storage.records[key].shape == .scalar, !storage.isMergeKey(key) {
            if let first = firstUse(of: key, in: top) {
                let name = storage.string(key)
                diagnostics.append(Diagnostic(
                    .E002, "duplicate key '\(name)'", file: file, range: storage.records[key].range,
                    notes: [Diagnostic.Note("'\(name)' is first defined here", file: file,
                                            range: storage.records[Int(first)].range)],
                    help: "remove one of the two entries"))
            } else if frames[top].keyIndex != nil {
                frames[top].keyIndex![storage.string(key)] = index
            }
        }
        scratch.append(index)
    }

    /// The earlier key of frame `top` that reads the same as scalar `key`, if any.
    private mutating func firstUse(of key: Int, in top: Int) -> Int32? {
        if let keyIndex = frames[top].keyIndex { return keyIndex[storage.string(key)] }
        let start = frames[top].scratchStart
        var position = start
        while position < scratch.count {
            if storage.scalar(Int(scratch[position]), equalsScalar: key) { return scratch[position] }
            position += 2
        }
        if scratch.count - start >= 32 { // 16 pairs: switch to a hashed index
            var index: [String: Int32] = [:]
            position = start
            while position < scratch.count {
                let k = Int(scratch[position])
                if storage.records[k].shape == .scalar {
                    let name = storage.string(k)
                    if index[name] == nil { index[name] = scratch[position] }
                }
                position += 2
            }
            frames[top].keyIndex = index
        }
        return nil
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
