/// A token bucket: `rate` tokens a second, holding at most `rate` (one
/// second's burst). Each INVITE from a source takes one; none left means
/// the source is over its `sip.inbound.max-invites-per-second`. It also
/// counts what it refused since it last said so, for a log line at most
/// once a second.
struct TokenBucket: Sendable, Equatable {
    let rate: Int
    /// Tokens in thousandths (integer arithmetic, no drift).
    private(set) var milliTokens: Int
    private var updated: UInt64
    /// Refusals not logged yet, and when the last log line was.
    private(set) var unreported = 0
    private var reported: UInt64?

    /// Full at `now` (milliseconds of uptime).
    init(rate: Int, now: UInt64) {
        self.rate = max(1, rate)
        milliTokens = self.rate * 1000
        updated = now
    }

    /// Takes a token if there is one; else counts a refusal.
    mutating func take(now: UInt64) -> Bool {
        if now > updated {
            let elapsed = Int(min(now - updated, 3_600_000))
            milliTokens = min(rate * 1000, milliTokens + elapsed * rate)
            updated = now
        }
        guard milliTokens >= 1000 else {
            unreported += 1
            return false
        }
        milliTokens -= 1000
        return true
    }

    /// The refusals to log now, when a second has passed since the last
    /// log line (or there was none); nil otherwise.
    mutating func report(now: UInt64) -> Int? {
        guard unreported > 0, reported.map({ now >= $0 + 1000 }) ?? true else { return nil }
        defer { unreported = 0; reported = now }
        return unreported
    }
}
