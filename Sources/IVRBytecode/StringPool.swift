/// The constant pool under construction: each distinct string gets one index,
/// in order of first use, so the same sources always give the same pool.
struct StringPool {
    private(set) var strings: [String] = []
    private var indices: [String: Int] = [:]

    mutating func intern(_ s: String) -> Int {
        if let i = indices[s] { return i }
        indices[s] = strings.count
        strings.append(s)
        return strings.count - 1
    }
}

/// The string pool section's bytes (docs/bytecode.md, "String pool"): each
/// string's UTF-8 followed by `FF`, a byte that never occurs in UTF-8, so no
/// lengths are stored. Separators compress better than LEB128 lengths.
public enum StringPoolCoding {
    public static let separator: UInt8 = 0xFF

    public static func encode(_ strings: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for s in strings {
            out += Array(s.utf8)
            out.append(separator)
        }
        return out
    }

    /// The strings of a pool section; each must be valid UTF-8 and distinct,
    /// and the section must end with a separator (or be empty).
    public static func decode(_ bytes: [UInt8]) throws(BundleError) -> [String] {
        guard bytes.last.map({ $0 == separator }) ?? true else {
            throw .malformed("string pool: the last string has no end marker")
        }
        var strings: [String] = []
        var seen: Set<String> = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == separator {
            guard let s = String(validating: bytes[start..<i], as: UTF8.self) else {
                throw .malformed("string pool: string \(strings.count) is not valid UTF-8")
            }
            guard seen.insert(s).inserted else { throw .malformed("string pool: \"\(s.prefix(60))\" stored twice") }
            strings.append(s)
            start = i + 1
        }
        return strings
    }
}
