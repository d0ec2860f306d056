/// A dictionary that remembers insertion order and holds at most `limit`
/// entries: beyond it the oldest go first, in constant time per insert, so
/// a flood of requests costs memory up to the limit and no quadratic work.
/// The server transactions and the cache of final responses both keep
/// their entries in one.
struct BoundedTable<Value> {
    private(set) var entries: [String: Value] = [:]
    /// Keys in insertion order from `head` on (keys already evicted or
    /// re-inserted may linger until compaction or a sweep).
    private var order: [String] = []
    private var head = 0
    let limit: Int

    init(limit: Int) { self.limit = max(0, limit) }

    subscript(key: String) -> Value? { entries[key] }

    var count: Int { entries.count }

    /// Inserts or replaces; returns the entries evicted to stay in the limit.
    @discardableResult
    mutating func insert(_ key: String, _ value: Value) -> [Value] {
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        var evicted: [Value] = []
        while entries.count > limit, head < order.count {
            if let old = entries.removeValue(forKey: order[head]) { evicted.append(old) }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return evicted
    }

    /// Removes the entries `expired` picks (from the endpoint's sweeper) and
    /// returns them.
    @discardableResult
    mutating func sweep(_ expired: (Value) -> Bool) -> [Value] {
        var kept: [String] = []
        var removed: [Value] = []
        kept.reserveCapacity(entries.count)
        for key in order[head...] {
            guard let value = entries[key] else { continue }
            if expired(value) {
                entries[key] = nil
                removed.append(value)
            } else {
                kept.append(key)
            }
        }
        order = kept
        head = 0
        return removed
    }
}
