/// A fixed list of names (field names, step keywords, built-in targets) to
/// compare scalars with on bytes, as `KeyProbe` does for one name.
///
/// Tables are static and read by several threads at once (nodes are built in
/// parallel), so a table holds no reference-counted value on the reading
/// path: its parts are allocated once and never freed, and copying a table
/// or reading a key costs no atomic operation.
// NOTE: `@unchecked Sendable` and the buffers: every table is a `static let`
// (made once, never changed); its three buffers are allocated and
// initialized in `init`, never written again and deliberately never freed
// (they live as long as the program), so any thread may read them at any
// time, and no copy of a table can outlive them.
struct ProbeTable: @unchecked Sendable {
    struct Key: BitwiseCopyable {
        /// The first eight bytes, little-endian, zero-padded (`YAMLStorage.prefix`).
        let prefix: UInt64
        let count: Int
        let isASCII: Bool
        /// Where the name's bytes start in `bytes`.
        let start: Int
    }

    let keys: UnsafeBufferPointer<Key>
    /// The names' bytes, back to back.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The names, for messages and for comparing non-ASCII text.
    let names: UnsafeBufferPointer<String>

    init(_ list: [String]) {
        var all: [UInt8] = []
        var keys: [Key] = []
        for name in list {
            let utf8 = Array(name.utf8)
            // NOTE: the pointer is read during the call only.
            let prefix = utf8.withUnsafeBufferPointer(YAMLStorage.prefix)
            keys.append(Key(prefix: prefix, count: utf8.count, isASCII: utf8.allSatisfy { $0 < 0x80 }, start: all.count))
            all += utf8
        }
        self.keys = UnsafeBufferPointer(Self.copy(keys))
        self.bytes = UnsafeBufferPointer(Self.copy(all))
        self.names = UnsafeBufferPointer(Self.copy(list))
    }

    // NOTE: a buffer of `values.count` initialized elements (at least one
    // allocated, so that an empty table has an address), never freed (see the type).
    private static func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
        _ = buffer.initialize(from: values)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<values.count])
    }

    var count: Int { keys.count }

    /// The bytes of name `i`.
    // NOTE: a bounds-checked slice of the table's bytes, which live forever.
    func bytes(of i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[keys[i].start..<keys[i].start + keys[i].count])
    }

    /// The position of `name` (given as bytes) in the table.
    // NOTE: `name` is read during the call only (callers pass a `StaticString`'s
    // bytes, which live forever); `own[j]` and `name[j]` are bounds-checked.
    func position(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        let prefix = YAMLStorage.prefix(name)
        for i in 0..<keys.count where keys[i].count == name.count && keys[i].prefix == prefix {
            let own = bytes(of: i)
            var j = 8
            while j < name.count, own[j] == name[j] { j += 1 }
            if j >= name.count { return i }
        }
        return nil
    }
}

extension YAMLStorage {
    /// The position of the first name of `table` that scalar `index` reads
    /// (compared as `scalar(_:matches:)` compares), with the record read once.
    func firstMatch(_ index: Int, in table: ProbeTable) -> Int? {
        let r = records[index]
        guard r.shape == .scalar else { return nil }
        if !r.isASCII {
            let s = string(index)
            return table.names.firstIndex { $0 == s }
        }
        let keys = table.keys
        for i in 0..<keys.count where keys[i].count == Int(r.count) {
            if !keys[i].isASCII {
                if string(index) == table.names[i] { return i }
                continue
            }
            guard keys[i].prefix == r.prefix else { continue }
            if keys[i].count <= 8 { return i }
            let text = self.text[Int(r.first)..<Int(r.first + r.count)]
            let name = table.bytes(of: i)
            var j = 8
            while j < name.count, text[j] == name[j] { j += 1 }
            if j == name.count { return i }
        }
        return nil
    }
}
