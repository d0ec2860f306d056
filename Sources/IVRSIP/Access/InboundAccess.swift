/// The endpoint's state for `sip.inbound`: the per-source INVITE buckets,
/// the nonce maker, and the last nonce count seen per nonce (bounded, so
/// a replayed answer is refused without unbounded memory).
struct InboundAccess {
    static let maxNonceCounts = 4096

    var limiter: InviteRateLimiter?
    let nonces: DigestNonces
    var nonceCounts = BoundedTable<UInt32>(limit: Self.maxNonceCounts)

    init(policy: InboundPolicy) {
        limiter = policy.maxInvitesPerSecond.map { InviteRateLimiter(rate: $0) }
        nonces = DigestNonces(lifetime: policy.auth?.nonceLifetime ?? .seconds(300))
    }
}
