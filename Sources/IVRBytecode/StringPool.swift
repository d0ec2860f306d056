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
