/// The manifest's SIP trunk settings (section 8): credentials answering
/// challenges, registrations `serve` keeps, and who may call in. Secrets
/// are never here: each password is the NAME of an environment variable
/// (`password-env`), read by `serve` and `call` when they start.
extension Manifest.SIPSettings {
    /// One `sip.credentials` entry: the answer to a 401/407 challenge.
    public struct Credential: Sendable {
        /// Nil: any realm.
        public var realm: Located<String>?
        public var user: Located<String>?
        public var passwordEnv: Located<String>?
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }
    }

    /// One `sip.register` entry: a binding kept at a registrar.
    public struct Registration: Sendable {
        public var registrar: Located<String>?
        /// The address of record.
        public var aor: Located<String>?
        /// Nil: the AOR's user part.
        public var user: Located<String>?
        public var passwordEnv: Located<String>?
        /// Nil: `defaultExpires`.
        public var expires: Located<Duration>?
        public var flow: Located<String>?
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }

        /// What a registration asks for when `expires` is not written.
        public static let defaultExpires = Duration(milliseconds: 3_600_000)
    }

    /// `sip.inbound`: who may send requests to `serve`.
    public struct Inbound: Sendable {
        /// CIDR blocks as written (IVRCheck checks their form).
        public var allow: [Located<String>] = []
        public var drop: Located<Bool>?
        public var auth: InboundAuth?
        public var maxInvitesPerSecond: Located<Int>?
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }
    }

    /// `sip.inbound.auth`: the realm of the 401 challenge and its users.
    public struct InboundAuth: Sendable {
        public var realm: Located<String>?
        public var users: [InboundUser] = []
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }
    }

    /// One `sip.inbound.auth.users` entry.
    public struct InboundUser: Sendable {
        public var user: Located<String>?
        public var passwordEnv: Located<String>?
        public var range: SourceRange
        public init(range: SourceRange) { self.range = range }
    }
}
