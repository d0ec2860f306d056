/// The flat storage behind `YAMLNode`: one array of small fixed-size node
/// records, one array of child indices and one byte arena for scalar text.
///
/// A mapping's children are `key, value, key, value, ...` and a sequence's
/// its items, each a contiguous run of `children`. A node is complete before
/// its parent closes, so children always precede their parent in `records`
/// and the root is the last record. No node owns a `String` or an array:
/// reading a 1 MB flow allocates a handful of buffers instead of one per node.
/// See docs/performance.md.
///
/// The assembler writes `storage` while it reads; node views made then (the
/// flow parser builds each node as soon as it is read) see the nodes read so
/// far. Once the reader returns the document, nothing writes it again, which
/// is what makes sharing the tree across threads safe.
// NOTE: `@unchecked Sendable`: the tree is written only by the assembler on
// the reading thread (directly, or lent to the flow parser's callback on that
// same thread); it reaches other threads only after `YAMLReader.read` has
// returned it, and from then on it is only read.
final class YAMLTree: @unchecked Sendable {
    /// The storage, at a fixed address for the tree's lifetime: the builder's
    /// views (`YAMLView`) read it through this pointer, with no reference
    /// counting and no copy of the arrays.
    // NOTE: owned by the tree: allocated and initialized here, freed (with
    // the buffers of the storage it holds) in `deinit`, never reassigned.
    let pointer: UnsafeMutablePointer<YAMLStorage>

    init(_ storage: YAMLStorage = YAMLStorage()) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: storage)
    }

    deinit {
        pointer.pointee.deallocate()
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    // Written only by the assembler, on the reading thread, before the tree is shared.
    // NOTE: addressors hand out the pointer's memory in place: no copy of the
    // storage (and of its buffers) per access; the tree keeps it alive for
    // the access, as `self` is alive while its property is accessed.
    var storage: YAMLStorage {
        unsafeAddress { UnsafePointer(pointer) }
        unsafeMutableAddress { pointer }
    }
}

/// The arrays of a `YAMLTree`, and the comparisons the reader and the
/// builder make on them without creating strings. The buffers are freed by
/// the tree that holds them (`deallocate()`); a copy of the struct is a view.
// NOTE: `@unchecked Sendable` for its `TreeBuffer`s (see there): one storage
// owns its buffers at a time, the assembler's while reading (lent to the tree
// by swapping, never copied), then the tree's until it is freed with it.
struct YAMLStorage: @unchecked Sendable {
    /// One node. Scalars: `first`/`count` span `text`; collections: `children`
    /// (`count` is the number of pairs of a mapping, of items of a sequence).
    struct Record: Sendable {
        var range: SourceRange
        /// Scalars: the first eight bytes of the text, for quick key comparisons.
        var prefix: UInt64
        var first: Int32
        var count: Int32
        var shape: YAMLNode.Shape
        var style: YAMLNode.ScalarStyle
        /// Scalars only: the text is pure ASCII, so byte equality is string equality.
        var isASCII: Bool
    }

    var records = TreeBuffer<Record>()
    var children = TreeBuffer<Int32>()
    var text = TreeBuffer<UInt8>()

    mutating func deallocate() {
        records.deallocate()
        children.deallocate()
        text.deallocate()
    }

    /// The text of scalar `index` (empty for collections).
    func string(_ index: Int) -> String {
        let r = records[index]
        guard r.shape == .scalar else { return "" }
        return String(decoding: text[Int(r.first)..<Int(r.first + r.count)], as: UTF8.self)
    }

    /// Whether scalar `index` reads `name`, compared as Swift compares strings:
    /// on bytes while both sides are ASCII, by canonical equivalence otherwise.
    func scalar(_ index: Int, equals name: String) -> Bool {
        scalar(index, matches: KeyProbe(name))
    }

    /// `scalar(_:equals:)` with the name's bytes read once, for scans over many keys.
    func scalar(_ index: Int, matches probe: KeyProbe) -> Bool {
        let r = records[index]
        guard r.shape == .scalar else { return false }
        guard r.isASCII, probe.isASCII else { return string(index) == probe.name }
        guard r.prefix == probe.prefix, Int(r.count) == probe.count else { return false }
        if probe.count <= 8 { return true }
        let bytes = text[Int(r.first)..<Int(r.first + r.count)]
        var name = probe.name
        return name.withUTF8 { key in
            var i = 8
            while i < key.count {
                if bytes[i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The first eight bytes of `bytes`, little-endian, zero-padded.
    // NOTE: reads `bytes` (bounds-checked) during the call only; callers pass
    // buffers scoped by `withUTF8`/`withUnsafeBufferPointer` or a tree's text.
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<min(8, bytes.count) { value |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        return value
    }

    /// Whether scalars `a` and `b` read the same (as `String ==` would say).
    func scalar(_ a: Int, equalsScalar b: Int) -> Bool {
        let ra = records[a], rb = records[b]
        guard ra.shape == .scalar, rb.shape == .scalar else { return false }
        guard ra.isASCII, rb.isASCII else { return string(a) == string(b) }
        guard ra.count == rb.count, ra.prefix == rb.prefix else { return false }
        let a = text[Int(ra.first)..<Int(ra.first + ra.count)], b = text[Int(rb.first)..<Int(rb.first + rb.count)]
        var i = 8
        while i < a.count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// A plain `<<` scalar: a merge key.
    @inline(__always)
    func isMergeKey(_ index: Int) -> Bool {
        let r = records[index]
        return r.prefix == 0x3C3C && r.count == 2 && r.shape == .scalar && r.style == .plain // "<<"
    }

    /// True for an empty plain scalar, `~`, `null`, `Null` and `NULL`.
    func isNull(_ index: Int) -> Bool {
        let r = records[index]
        guard r.shape == .scalar, r.style == .plain else { return false }
        switch r.count {
        case 0: return true
        case 1: return text[Int(r.first)] == UInt8(ascii: "~")
        case 4: return r.prefix == 0x6C6C_756E || r.prefix == 0x6C6C_754E || r.prefix == 0x4C4C_554E // null, Null, NULL
        default: return false
        }
    }

    /// The value of the first pair of mapping `index` whose key reads `name`,
    /// as a position in `children` (the key is just before it).
    func valuePosition(in index: Int, key name: String) -> Int? {
        let r = records[index]
        guard r.shape == .mapping else { return nil }
        let probe = KeyProbe(name)
        var position = Int(r.first)
        let end = position + 2 * Int(r.count)
        while position < end {
            if scalar(Int(children[position]), matches: probe) { return position + 1 }
            position += 2
        }
        return nil
    }
}

/// A name to look for among scalars, with its first bytes read once.
struct KeyProbe {
    let name: String
    let prefix: UInt64
    let count: Int
    let isASCII: Bool

    init(_ name: String) {
        var name = name
        self.name = name
        (prefix, count, isASCII) = name.withUTF8 { bytes in
            var ascii = true
            for byte in bytes where byte >= 0x80 {
                ascii = false
                break
            }
            return (YAMLStorage.prefix(bytes), bytes.count, ascii)
        }
    }
}
