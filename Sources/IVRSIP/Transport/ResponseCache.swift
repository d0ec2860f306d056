import NIOCore

/// Responses to non-INVITE requests, kept so a retransmitted request gets
/// the same answer (RFC 3261 17.2.2, Timer J = 64*T1), keyed by
/// `ServerTransactionKey`, in a `BoundedTable` (a request flood costs
/// memory up to the limit and no more).
struct ResponseCache {
    private var table: BoundedTable<(bytes: [UInt8], expires: NIODeadline)>

    init(limit: Int) { table = BoundedTable(limit: limit) }

    func lookup(_ key: String, now: NIODeadline) -> [UInt8]? {
        guard let e = table[key], e.expires > now else { return nil }
        return e.bytes
    }

    mutating func store(_ key: String, _ bytes: [UInt8], expires: NIODeadline) {
        guard table.limit > 0 else { return }
        table.insert(key, (bytes, expires))
    }

    /// Drops expired entries (every few seconds, from the endpoint's sweeper).
    mutating func sweep(now: NIODeadline) {
        table.sweep { $0.expires <= now }
    }

    var count: Int { table.count }
}
