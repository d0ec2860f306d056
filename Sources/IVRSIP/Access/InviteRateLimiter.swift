/// `sip.inbound.max-invites-per-second`: one `TokenBucket` per source
/// address in a `BoundedTable`, so a flood from many addresses costs at
/// most `maxSources` buckets (the oldest source is forgotten first; it
/// comes back with a full bucket, which is at most one second's burst).
struct InviteRateLimiter {
    static let defaultMaxSources = 4096

    let rate: Int
    private var buckets: BoundedTable<TokenBucket>

    init(rate: Int, maxSources: Int = Self.defaultMaxSources) {
        self.rate = max(1, rate)
        buckets = BoundedTable(limit: max(1, maxSources))
    }

    var trackedSources: Int { buckets.count }

    /// Whether `source` may send one more INVITE at `now` (milliseconds of
    /// uptime), and the refusals to log for it now (at most once a second).
    mutating func admit(_ source: String, now: UInt64) -> (admitted: Bool, report: Int?) {
        var bucket = buckets[source] ?? TokenBucket(rate: rate, now: now)
        let admitted = bucket.take(now: now)
        let report = admitted ? nil : bucket.report(now: now)
        buckets.insert(source, bucket)
        return (admitted, report)
    }
}
