/// The flat storage behind `YAMLNode`: one array of small fixed-size node
/// records, one array of child indices and one byte arena for scalar text.
///
/// A mapping's children are `key, value, key, value, ...` and a sequence's
/// its items, each a contiguous run of `children`. A node is complete before
/// its parent closes, so children always precede their parent in `records`
/// and the root is the last record. No node owns a `String` or an array:
/// reading a 1 MB flow allocates a handful of buffers instead of one per node.
/// See docs/performance.md.
final class YAMLTree: Sendable {
    let storage: YAMLStorage

    init(_ storage: YAMLStorage) { self.storage = storage }
}

/// The arrays of a `YAMLTree`, and the comparisons the reader and the
/// builder make on them without creating strings.
struct YAMLStorage: Sendable {
    /// One node. Scalars: `first`/`count` span `text`; collections: `children`
    /// (`count` is the number of pairs of a mapping, of items of a sequence).
    struct Record: Sendable {
        var range: SourceRange
        var first: Int32
        var count: Int32
        var shape: YAMLNode.Shape
        var style: YAMLNode.ScalarStyle
        /// Scalars only: the text is pure ASCII, so byte equality is string equality.
        var isASCII: Bool
    }

    var records: [Record] = []
    var children: [Int32] = []
    var text: [UInt8] = []

    /// The text of scalar `index` (empty for collections).
    func string(_ index: Int) -> String {
        let r = records[index]
        guard r.shape == .scalar else { return "" }
        return text.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(r.first)..<Int(r.first + r.count)]), as: UTF8.self)
        }
    }

    /// Whether scalar `index` reads `name`, compared as Swift compares strings
    /// (bytes when the scalar is ASCII, canonical equivalence otherwise).
    func scalar(_ index: Int, equals name: String) -> Bool {
        let r = records[index]
        guard r.shape == .scalar else { return false }
        guard r.isASCII else { return string(index) == name }
        var name = name
        return name.withUTF8 { key in
            guard key.count == Int(r.count) else { return false }
            return text.withUnsafeBufferPointer { buffer in
                var i = Int(r.first)
                for byte in key {
                    if buffer[i] != byte { return false }
                    i += 1
                }
                return true
            }
        }
    }

    /// Whether scalars `a` and `b` read the same (as `String ==` would say).
    func scalar(_ a: Int, equalsScalar b: Int) -> Bool {
        let ra = records[a], rb = records[b]
        guard ra.shape == .scalar, rb.shape == .scalar else { return false }
        guard ra.isASCII, rb.isASCII else { return string(a) == string(b) }
        guard ra.count == rb.count else { return false }
        return text.withUnsafeBufferPointer { buffer in
            var i = Int(ra.first), j = Int(rb.first)
            let end = i + Int(ra.count)
            while i < end {
                if buffer[i] != buffer[j] { return false }
                i += 1
                j += 1
            }
            return true
        }
    }

    /// A plain `<<` scalar: a merge key.
    func isMergeKey(_ index: Int) -> Bool {
        let r = records[index]
        return r.shape == .scalar && r.style == .plain && r.count == 2
            && text[Int(r.first)] == UInt8(ascii: "<") && text[Int(r.first) + 1] == UInt8(ascii: "<")
    }

    /// True for an empty plain scalar, `~`, `null`, `Null` and `NULL`.
    func isNull(_ index: Int) -> Bool {
        let r = records[index]
        guard r.shape == .scalar, r.style == .plain else { return false }
        switch r.count {
        case 0: return true
        case 1: return text[Int(r.first)] == UInt8(ascii: "~")
        case 4: return scalar(index, equals: "null") || scalar(index, equals: "Null") || scalar(index, equals: "NULL")
        default: return false
        }
    }

    /// The value of the first pair of mapping `index` whose key reads `name`,
    /// as a position in `children` (the key is just before it).
    func valuePosition(in index: Int, key name: String) -> Int? {
        let r = records[index]
        guard r.shape == .mapping else { return nil }
        var position = Int(r.first)
        let end = position + 2 * Int(r.count)
        while position < end {
            if scalar(Int(children[position]), equals: name) { return position + 1 }
            position += 2
        }
        return nil
    }
}
