import IVRSyntax

/// The manifest's `sip:` block as a bundle carries it (section 5, "SIP
/// settings"), so that `serve app.ivrb` registers and authenticates like
/// `serve .`: hosts, the outbound proxy, credentials, registrations and
/// inbound access. Passwords are environment-variable NAMES; no secret is
/// ever in a manifest, nor here.
///
/// On disk it is a list of key/value pairs of the string pool
/// (`pairs`): flat dotted keys such as `register.0.aor`, in a fixed order,
/// so equal manifests give equal bytes.
public struct BundleSIPSettings: Sendable, Equatable {
    public struct Credential: Sendable, Equatable {
        public var realm: String?
        public var user: String
        public var passwordEnv: String
        public init(realm: String?, user: String, passwordEnv: String) {
            self.realm = realm
            self.user = user
            self.passwordEnv = passwordEnv
        }
    }

    public struct Registration: Sendable, Equatable {
        public var registrar: String
        public var aor: String
        public var user: String?
        public var passwordEnv: String
        public var expiresSeconds: Int
        public var flow: String?
        public init(registrar: String, aor: String, user: String?, passwordEnv: String, expiresSeconds: Int, flow: String?) {
            self.registrar = registrar
            self.aor = aor
            self.user = user
            self.passwordEnv = passwordEnv
            self.expiresSeconds = expiresSeconds
            self.flow = flow
        }
    }

    public struct InboundUser: Sendable, Equatable {
        public var user: String
        public var passwordEnv: String
        public init(user: String, passwordEnv: String) {
            self.user = user
            self.passwordEnv = passwordEnv
        }
    }

    public struct Inbound: Sendable, Equatable {
        public var allow: [String] = []
        public var drop = false
        /// The realm of `auth`; nil when there is no `auth`.
        public var authRealm: String?
        public var authUsers: [InboundUser] = []
        public var maxInvitesPerSecond: Int?
        public init() {}
    }

    public var pbx: String?
    public var trunk: String?
    /// `sip.transfer`: how a transfer whose step has no `via` connects
    /// (`refer`, `bridge` or `auto`); nil: refer.
    public var transfer: String?
    public var outboundProxy: String?
    public var credentials: [Credential] = []
    public var register: [Registration] = []
    public var inbound: Inbound?

    public init() {}

    /// Nothing set: a bundle leaves the section out.
    public var isEmpty: Bool { self == BundleSIPSettings() }

    /// The checked manifest's settings (entries the checker refused are not
    /// built: a bundle is only written from a project without errors).
    public init(manifest sip: Manifest.SIPSettings) {
        pbx = sip.pbx?.value
        trunk = sip.trunk?.value
        transfer = sip.transfer?.value.rawValue
        outboundProxy = sip.outboundProxy?.value
        credentials = sip.credentials.compactMap { c in
            guard let user = c.user?.value, let env = c.passwordEnv?.value else { return nil }
            return Credential(realm: c.realm?.value, user: user, passwordEnv: env)
        }
        register = sip.register.compactMap { r in
            guard let registrar = r.registrar?.value, let aor = r.aor?.value, let env = r.passwordEnv?.value else { return nil }
            let expires = (r.expires?.value ?? Manifest.SIPSettings.Registration.defaultExpires).milliseconds / 1000
            return Registration(registrar: registrar, aor: aor, user: r.user?.value, passwordEnv: env,
                                expiresSeconds: expires, flow: r.flow?.value)
        }
        inbound = sip.inbound.map { i in
            var inbound = Inbound()
            inbound.allow = i.allow.map(\.value)
            inbound.drop = i.drop?.value ?? false
            if let auth = i.auth {
                inbound.authRealm = auth.realm?.value ?? ""
                inbound.authUsers = auth.users.compactMap { u in
                    guard let user = u.user?.value, let env = u.passwordEnv?.value else { return nil }
                    return InboundUser(user: user, passwordEnv: env)
                }
            }
            inbound.maxInvitesPerSecond = i.maxInvitesPerSecond?.value
            return inbound
        }
    }

    /// The settings as key/value text, in a fixed order.
    public var pairs: [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        func put(_ key: String, _ value: String?) { if let value { out.append((key, value)) } }
        put("pbx", pbx)
        put("trunk", trunk)
        put("transfer", transfer)
        put("outbound-proxy", outboundProxy)
        for (i, c) in credentials.enumerated() {
            put("credentials.\(i).realm", c.realm)
            put("credentials.\(i).user", c.user)
            put("credentials.\(i).password-env", c.passwordEnv)
        }
        for (i, r) in register.enumerated() {
            put("register.\(i).registrar", r.registrar)
            put("register.\(i).aor", r.aor)
            put("register.\(i).user", r.user)
            put("register.\(i).password-env", r.passwordEnv)
            put("register.\(i).expires", String(r.expiresSeconds))
            put("register.\(i).flow", r.flow)
        }
        if let inbound {
            put("inbound.drop", inbound.drop ? "true" : "false")
            for (i, a) in inbound.allow.enumerated() { put("inbound.allow.\(i)", a) }
            put("inbound.auth.realm", inbound.authRealm)
            for (i, u) in inbound.authUsers.enumerated() {
                put("inbound.auth.users.\(i).user", u.user)
                put("inbound.auth.users.\(i).password-env", u.passwordEnv)
            }
            put("inbound.max-invites-per-second", inbound.maxInvitesPerSecond.map(String.init))
        }
        return out
    }

    /// Reads `pairs` back: every key known, none twice, list entries
    /// numbered from 0 without a gap, each entry whole, numbers in range,
    /// variable names that are names. Anything else is a `BundleError`.
    public init(pairs: [(key: String, value: String)]) throws(BundleError) {
        var table: [String: String] = [:]
        for (key, value) in pairs {
            guard table.updateValue(value, forKey: key) == nil else { throw Self.bad("'\(key)' appears twice") }
        }
        var used = Set<String>()
        func take(_ key: String) -> String? {
            guard let v = table[key] else { return nil }
            used.insert(key)
            return v
        }
        func need(_ key: String) throws(BundleError) -> String {
            guard let v = take(key) else { throw Self.bad("'\(key)' is missing") }
            return v
        }
        func variable(_ key: String) throws(BundleError) -> String {
            let v = try need(key)
            guard EnvironmentVariableName.isValid(v) else { throw Self.bad("'\(key)' is not an environment variable name") }
            return v
        }
        func number(_ key: String, in range: ClosedRange<Int>) throws(BundleError) -> Int {
            let v = try need(key)
            guard v.count <= 9, !v.isEmpty, v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(v), range.contains(n) else {
                throw Self.bad("'\(key)' is not a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        func entries(_ prefix: String, firstField: String) -> Int {
            var n = 0
            while table["\(prefix).\(n).\(firstField)"] != nil || table["\(prefix).\(n)"] != nil { n += 1 }
            return n
        }
        pbx = take("pbx")
        trunk = take("trunk")
        transfer = take("transfer")
        if let transfer, Transfer.Via(rawValue: transfer) == nil {
            throw Self.bad("'transfer' is '\(transfer)', not refer, bridge or auto")
        }
        outboundProxy = take("outbound-proxy")
        for i in 0..<entries("credentials", firstField: "user") {
            let p = "credentials.\(i)."
            credentials.append(Credential(realm: take(p + "realm"), user: try need(p + "user"),
                                          passwordEnv: try variable(p + "password-env")))
        }
        let expires = DurationLimits.registrationExpires.range
        for i in 0..<entries("register", firstField: "registrar") {
            let p = "register.\(i)."
            register.append(Registration(
                registrar: try need(p + "registrar"), aor: try need(p + "aor"), user: take(p + "user"),
                passwordEnv: try variable(p + "password-env"),
                expiresSeconds: try number(p + "expires", in: expires.lowerBound / 1000...expires.upperBound / 1000),
                flow: take(p + "flow")))
        }
        if let drop = take("inbound.drop") {
            var inbound = Inbound()
            guard drop == "true" || drop == "false" else { throw Self.bad("'inbound.drop' is neither true nor false") }
            inbound.drop = drop == "true"
            for i in 0..<entries("inbound.allow", firstField: "") {
                inbound.allow.append(try need("inbound.allow.\(i)"))
            }
            inbound.authRealm = take("inbound.auth.realm")
            for i in 0..<entries("inbound.auth.users", firstField: "user") {
                let p = "inbound.auth.users.\(i)."
                guard inbound.authRealm != nil else { throw Self.bad("inbound auth users without a realm") }
                inbound.authUsers.append(InboundUser(user: try need(p + "user"), passwordEnv: try variable(p + "password-env")))
            }
            if table["inbound.max-invites-per-second"] != nil {
                inbound.maxInvitesPerSecond = try number("inbound.max-invites-per-second", in: 1...100_000)
            }
            self.inbound = inbound
        }
        if let stray = table.keys.filter({ !used.contains($0) }).min() {
            throw Self.bad("unknown key '\(stray)'")
        }
    }

    static func bad(_ what: String) -> BundleError { .malformed("SIP settings section: \(what)") }
}
