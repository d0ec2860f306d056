import IVRSyntax

/// The first node of each name, for the lookups the graph and the index make
/// (one per target). A `[String: Int]` hashes every name with a seeded
/// SipHash, which cost the graph more than laying out the nodes it named;
/// here names are hashed on their UTF-8 bytes, eight at a time, and compared
/// byte for byte.
///
/// Swift compares strings by canonical equivalence ("é" written as one
/// scalar or as "e" and an accent are the same name), which bytes cannot
/// see: when a node name is not ASCII the table falls back to a dictionary,
/// and a name looked up that is not ASCII is compared as a string.
struct NodeNames: Sendable {
    /// The distinct names.
    let count: Int
    /// Each node's name, by node.
    private let names: [String]
    /// Open addressing: a node index per slot, -1 when empty.
    private let slots: [Int32]
    /// The names' bytes back to back, and where each node's name starts (by node).
    private let bytes: [UInt8]
    private let starts: [Int32]
    /// Set when some name is not ASCII.
    private let dictionary: [String: Int]?

    init(_ nodes: [Node]) {
        let names = nodes.map(\.name.value)
        self.names = names
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        starts.reserveCapacity(names.count + 1)
        var ascii = true
        for name in names {
            starts.append(Int32(bytes.count))
            for b in name.utf8 {
                if b >= 0x80 { ascii = false }
                bytes.append(b)
            }
        }
        starts.append(Int32(bytes.count))
        self.bytes = bytes
        self.starts = starts
        guard ascii else {
            var first: [String: Int] = [:]
            for (i, name) in names.enumerated() where first[name] == nil { first[name] = i }
            dictionary = first
            count = first.count
            slots = []
            return
        }
        dictionary = nil
        var size = 16
        while size < 2 * names.count { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        var distinct = 0
        bytes.withUnsafeBufferPointer { all in
            for i in names.indices {
                let key = UnsafeBufferPointer(rebasing: all[Int(starts[i])..<Int(starts[i + 1])])
                var slot = Int(Self.hash(key) & UInt64(size - 1))
                while true {
                    let held = Int(slots[slot])
                    if held < 0 {
                        slots[slot] = Int32(i)
                        distinct += 1
                        break
                    }
                    if key.elementsEqual(UnsafeBufferPointer(rebasing: all[Int(starts[held])..<Int(starts[held + 1])])) {
                        break // a later node of a name already taken
                    }
                    slot = (slot + 1) & (size - 1)
                }
            }
        }
        self.slots = slots
        count = distinct
    }

    /// The first node named `name`.
    subscript(name: String) -> Int? {
        if let dictionary { return dictionary[name] }
        let found = name.utf8.withContiguousStorageIfAvailable { find($0) }
        switch found {
        case .some(.some(let result)): return result
        case .some(.none): return nil
        case .none: return find(Array(name.utf8)) ?? nil
        }
    }

    /// nil: the key is not ASCII (look it up as a string); .some(nil): no such node.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int?? {
        for b in key where b >= 0x80 {
            let name = String(decoding: key, as: UTF8.self)
            return .some(names.firstIndex { $0 == name })
        }
        let mask = slots.count - 1
        var slot = Int(Self.hash(key) & UInt64(mask))
        return bytes.withUnsafeBufferPointer { all -> Int?? in
            while true {
                let held = Int(slots[slot])
                if held < 0 { return .some(nil) }
                let start = Int(starts[held]), end = Int(starts[held + 1])
                if end - start == key.count, key.elementsEqual(UnsafeBufferPointer(rebasing: all[start..<end])) {
                    return .some(held)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func find(_ key: [UInt8]) -> Int?? {
        key.withUnsafeBufferPointer { find($0) }
    }

    /// A multiply-and-mix hash of the bytes, eight at a time.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < key.count {
            tail |= UInt64(key[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
