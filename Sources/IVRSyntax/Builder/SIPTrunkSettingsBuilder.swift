/// The manifest's `sip.credentials`, `sip.register` and `sip.inbound`
/// (section 8). Values are kept as written, at their positions; IVRCheck
/// judges URIs, CIDR blocks, variable names and flow names.
extension FlowBuilder {
    static let credentialFields: FieldNames = ["realm", "user", "password-env"]
    static let registrationFields: FieldNames = ["registrar", "aor", "user", "password-env", "expires", "flow"]
    static let inboundFields: FieldNames = ["allow", "drop", "auth", "max-invites-per-second"]
    static let inboundAuthFields: FieldNames = ["realm", "users"]
    static let inboundUserFields: FieldNames = ["user", "password-env"]

    /// The most INVITEs per second a source may send that `max-invites-per-second` may name.
    static let invitesPerSecondRange = 1...100_000

    /// A list of mappings; one mapping alone is not taken for a list of one.
    mutating func list<Entry>(_ node: YAMLView, _ field: String,
                              _ entry: (inout FlowBuilder, YAMLView) -> Entry?) -> [Entry] {
        guard let items = node.lazyItems else {
            sink.emit(.E005, "'\(field)' must be a list, found \(node.kindName)", at: node.range)
            return []
        }
        var entries: [Entry] = []
        for item in items {
            if let e = entry(&self, item) { entries.append(e) }
        }
        return entries
    }

    /// `password-env`, required unless a `password` is written in its place
    /// (E504 says so, with the fix-it that writes `password-env`).
    mutating func passwordEnv(_ f: Fields, what: String) -> Located<String>? {
        if let value = f["password-env"] { return locatedString(value, "password-env") }
        if f["password"] != nil { return nil }
        return f.require("password-env", &self, what: what).flatMap { locatedString($0, "password-env") }
    }

    mutating func credential(_ node: YAMLView) -> Manifest.SIPSettings.Credential? {
        guard let f = fields(of: node, in: "a credentials entry", allowed: Self.credentialFields) else { return nil }
        var c = Manifest.SIPSettings.Credential(range: node.range)
        c.realm = f["realm"].flatMap { locatedString($0, "realm") }
        c.user = f.require("user", &self, what: "'user' in a credentials entry").flatMap { locatedString($0, "user") }
        c.passwordEnv = passwordEnv(f, what: "'password-env' in a credentials entry")
        return c
    }

    mutating func registration(_ node: YAMLView) -> Manifest.SIPSettings.Registration? {
        guard let f = fields(of: node, in: "a register entry", allowed: Self.registrationFields) else { return nil }
        var r = Manifest.SIPSettings.Registration(range: node.range)
        r.registrar = f.require("registrar", &self, what: "'registrar' in a register entry")
            .flatMap { locatedString($0, "registrar") }
        r.aor = f.require("aor", &self, what: "'aor' in a register entry").flatMap { locatedString($0, "aor") }
        r.user = f["user"].flatMap { locatedString($0, "user") }
        r.passwordEnv = passwordEnv(f, what: "'password-env' in a register entry")
        r.expires = f["expires"].flatMap { duration($0, "expires", DurationLimits.registrationExpires) }
        r.flow = f["flow"].flatMap { locatedString($0, "flow") }
        return r
    }

    mutating func inbound(_ node: YAMLView) -> Manifest.SIPSettings.Inbound? {
        guard let f = fields(of: node, in: "inbound", allowed: Self.inboundFields) else { return nil }
        var inbound = Manifest.SIPSettings.Inbound(range: node.range)
        inbound.allow = f["allow"].map { stringList($0, "allow") } ?? []
        inbound.drop = f["drop"].flatMap { bool($0, "drop") }
        if let a = f["auth"], let af = fields(of: a, in: "inbound auth", allowed: Self.inboundAuthFields) {
            var auth = Manifest.SIPSettings.InboundAuth(range: a.range)
            auth.realm = af.require("realm", &self, what: "'realm' in inbound auth").flatMap { locatedString($0, "realm") }
            auth.users = af.require("users", &self, what: "'users' in inbound auth")
                .map { list($0, "users") { $0.inboundUser($1) } } ?? []
            inbound.auth = auth
        }
        inbound.maxInvitesPerSecond = f["max-invites-per-second"]
            .flatMap { integer($0, "max-invites-per-second", in: Self.invitesPerSecondRange) }
        return inbound
    }

    mutating func inboundUser(_ node: YAMLView) -> Manifest.SIPSettings.InboundUser? {
        guard let f = fields(of: node, in: "an inbound auth user", allowed: Self.inboundUserFields) else { return nil }
        var u = Manifest.SIPSettings.InboundUser(range: node.range)
        u.user = f.require("user", &self, what: "'user' in an inbound auth user").flatMap { locatedString($0, "user") }
        u.passwordEnv = passwordEnv(f, what: "'password-env' in an inbound auth user")
        return u
    }
}
