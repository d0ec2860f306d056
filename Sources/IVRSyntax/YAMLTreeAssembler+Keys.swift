/// Duplicate keys (E002): the same text and the same YAML core type
/// (`YAMLCoreType`: `1` and `"1"` differ). A key is compared with the earlier keys of its
/// mapping only when it may repeat one: each mapping keeps one bit per key,
/// chosen by the key's length and first bytes, and a pure-ASCII key whose
/// bit is clear is new (equal ASCII strings have equal bytes). Mappings of
/// more than 16 pairs switch to a hashed index of their keys.
extension YAMLTreeAssembler {
    private static let indexThreshold = 32 // scratch entries: 16 pairs

    /// Reports scalar `key` (just read in frame `top`) if it repeats an earlier key.
    mutating func checkRepeat(of key: Int, in top: Int) {
        let r = storage.records[key]
        if frames[top].hasKeyIndex {
            let name = storage.string(key)
            if let first = keyIndexes[keyIndexes.count - 1][name] {
                reportRepeat(key, first: first)
            } else {
                keyIndexes[keyIndexes.count - 1][name] = Int32(key)
            }
            return
        }
        let hash = (r.prefix &+ UInt64(r.count)) &* 0x9E37_79B9_7F4A_7C15
        let bit: UInt64 = 1 << (hash >> 58)
        let mayRepeat = !r.isASCII || frames[top].hasNonASCIIKey || frames[top].keyBits & bit != 0
        frames[top].keyBits |= bit
        if !r.isASCII { frames[top].hasNonASCIIKey = true }
        if mayRepeat, let first = earlierKey(equalTo: key, in: top) {
            reportRepeat(key, first: first)
            return
        }
        if scratch.count - frames[top].scratchStart >= Self.indexThreshold {
            buildKeyIndex(top)
            keyIndexes[keyIndexes.count - 1][storage.string(key)] = Int32(key)
        }
    }

    /// The earlier key of frame `top` that reads the same as scalar `key`, by scanning.
    private func earlierKey(equalTo key: Int, in top: Int) -> Int32? {
        var position = frames[top].scratchStart
        while position < scratch.count {
            if storage.scalar(Int(scratch[position]), equalsScalar: key) { return scratch[position] }
            position += 2
        }
        return nil
    }

    /// Indexes the keys of frame `top` (the first use of each); later keys are looked up there.
    private mutating func buildKeyIndex(_ top: Int) {
        var index: [String: Int32] = [:]
        var position = frames[top].scratchStart
        while position < scratch.count {
            let k = Int(scratch[position])
            if storage.records[k].shape == .scalar {
                let name = storage.string(k)
                if index[name] == nil { index[name] = scratch[position] }
            }
            position += 2
        }
        frames[top].hasKeyIndex = true
        keyIndexes.append(index)
    }

    private mutating func reportRepeat(_ key: Int, first: Int32) {
        let name = storage.string(key)
        // The same text with another core type (`1` and `"1"`) is another key.
        let earlier = storage.records[Int(first)]
        guard YAMLCoreType(name, style: storage.records[key].style)
                == YAMLCoreType(storage.string(Int(first)), style: earlier.style) else { return }
        diagnostics.append(YAMLReaderDiagnostics.duplicateKey(name, file: file, range: storage.records[key].range,
                                                              first: earlier.range))
    }
}
