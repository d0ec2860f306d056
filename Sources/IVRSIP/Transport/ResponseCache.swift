import NIOCore

/// Responses to non-INVITE requests, kept so a retransmitted request gets
/// the same answer (RFC 3261 17.2.2, Timer J = 64*T1), keyed by
/// `ServerTransactionKey`. Bounded: beyond
/// `limit` entries the oldest go first, in constant time per store (a
/// request flood costs memory up to the limit and no more, and no
/// quadratic work).
struct ResponseCache {
    private var entries: [String: (bytes: [UInt8], expires: NIODeadline)] = [:]
    /// Keys in insertion order from `head` on (entries already evicted or
    /// re-stored may linger as stale keys until compaction).
    private var order: [String] = []
    private var head = 0
    let limit: Int

    init(limit: Int) { self.limit = max(0, limit) }

    func lookup(_ key: String, now: NIODeadline) -> [UInt8]? {
        guard let e = entries[key], e.expires > now else { return nil }
        return e.bytes
    }

    mutating func store(_ key: String, _ bytes: [UInt8], expires: NIODeadline) {
        guard limit > 0 else { return }
        if entries[key] == nil { order.append(key) }
        entries[key] = (bytes, expires)
        while entries.count > limit, head < order.count {
            entries[order[head]] = nil
            head += 1
        }
        compact()
    }

    /// Drops expired entries (every few seconds, from the endpoint's sweeper).
    mutating func sweep(now: NIODeadline) {
        var kept: [String] = []
        kept.reserveCapacity(entries.count)
        for key in order[head...] {
            guard let e = entries[key] else { continue }
            if e.expires > now { kept.append(key) } else { entries[key] = nil }
        }
        order = kept
        head = 0
    }

    /// Forgets consumed keys once they are half the list.
    private mutating func compact() {
        guard head > 1024, head * 2 > order.count else { return }
        order.removeFirst(head)
        head = 0
    }

    var count: Int { entries.count }
}
