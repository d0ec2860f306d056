/// Who may send requests to `ivrc serve` (the manifest's `sip.inbound`):
/// sources outside `allow` get 403 (or nothing, with `drop`), unless
/// `auth` lets them in by answering a 401 digest challenge; each source
/// may send at most `maxInvitesPerSecond` INVITEs (beyond: 503 with
/// Retry-After).
public struct InboundPolicy: Sendable, Equatable {
    /// Empty: any source is allowed.
    public var allow: [CIDRBlock]
    public var drop: Bool
    public var auth: InboundAuth?
    public var maxInvitesPerSecond: Int?

    public init(allow: [CIDRBlock] = [], drop: Bool = false, auth: InboundAuth? = nil, maxInvitesPerSecond: Int? = nil) {
        self.allow = allow
        self.drop = drop
        self.auth = auth
        self.maxInvitesPerSecond = maxInvitesPerSecond
    }

    /// The users that may authenticate inbound INVITEs, and the realm ivrc
    /// challenges with (`sip.inbound.auth`).
    public struct InboundAuth: Sendable, Equatable {
        public var realm: String
        /// Passwords by user name (read from the environment variables the manifest names).
        public var users: [String: String]
        /// How long a nonce of ours is fresh; an answer with an older one
        /// gets a new challenge with `stale=true`.
        public var nonceLifetime: Duration

        public init(realm: String, users: [String: String], nonceLifetime: Duration = .seconds(300)) {
            self.realm = realm
            self.users = users
            self.nonceLifetime = nonceLifetime
        }
    }
}
