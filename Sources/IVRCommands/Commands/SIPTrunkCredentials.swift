import IVRBytecode
import IVRSIP

/// The manifest's credentials, registrations and inbound policy (from the
/// sources, or from the bundle that carries them), with each `password-env`
/// read from the environment: what `serve` and `call` put in their
/// `SIPConfiguration`. An unset (or empty) variable refuses the start with
/// exit 2, naming the variable and the field that names it; no message
/// ever holds a password.
struct SIPTrunkCredentials: Equatable {
    var credentials: [DigestCredential] = []
    var registrations: [RegistrationSettings] = []
    var inbound = InboundPolicy()

    static func resolve(_ settings: BundleSIPSettings, environment: [String: String]) -> Result<SIPTrunkCredentials, CommandFailure> {
        do {
            return .success(try resolving(settings, environment: environment))
        } catch {
            return .failure(error.failure)
        }
    }

    struct Problem: Error {
        var message: String
        var failure: CommandFailure { CommandFailure(message: "error: " + message, exitCode: CommandOutput.Code.ioError) }
    }

    private static func resolving(_ s: BundleSIPSettings, environment: [String: String]) throws(Problem) -> SIPTrunkCredentials {
        func secret(_ name: String, _ field: String) throws(Problem) -> String {
            guard let value = environment[name] else {
                throw Problem(message: "\(field): the environment variable \(name) is not set\n"
                    + "  = help: export \(name) with the password before starting (ivrc never reads passwords from files)")
            }
            guard !value.isEmpty else {
                throw Problem(message: "\(field): the environment variable \(name) is empty\n"
                    + "  = help: export \(name) with the password before starting")
            }
            return value
        }
        func uri(_ text: String, _ field: String) throws(Problem) -> SIPURI {
            guard let u = SIPURI(text) else { throw Problem(message: "\(field): '\(text)' is not a SIP URI") }
            return u
        }
        var out = SIPTrunkCredentials()
        for (i, c) in s.credentials.enumerated() {
            let password = try secret(c.passwordEnv, "sip.credentials[\(i)].password-env")
            out.credentials.append(DigestCredential(realm: c.realm, user: c.user, password: password))
        }
        for (i, r) in s.register.enumerated() {
            let field = "sip.register[\(i)]"
            let registrar = try uri(r.registrar, field + ".registrar")
            let aor = try uri(r.aor, field + ".aor")
            let password = try secret(r.passwordEnv, field + ".password-env")
            let user = r.user ?? aor.user ?? ""
            out.registrations.append(RegistrationSettings(
                registrar: registrar, aor: aor, credential: DigestCredential(realm: nil, user: user, password: password),
                expires: r.expiresSeconds, flow: r.flow))
        }
        if let inbound = s.inbound {
            var policy = InboundPolicy(drop: inbound.drop, maxInvitesPerSecond: inbound.maxInvitesPerSecond)
            for (i, text) in inbound.allow.enumerated() {
                guard let block = CIDRBlock(text) else {
                    throw Problem(message: "sip.inbound.allow[\(i)]: '\(text)' is not a CIDR block")
                }
                policy.allow.append(block)
            }
            if let realm = inbound.authRealm {
                var users: [String: String] = [:]
                for (i, u) in inbound.authUsers.enumerated() {
                    users[u.user] = try secret(u.passwordEnv, "sip.inbound.auth.users[\(i)].password-env")
                }
                policy.auth = InboundPolicy.InboundAuth(realm: realm, users: users)
            }
            out.inbound = policy
        }
        return out
    }
}

extension SIPTrunkCredentials {
    /// Puts the settings in the endpoint's configuration.
    func apply(to config: inout SIPConfiguration) {
        config.credentials = credentials
        config.registrations = registrations
        config.inbound = inbound
    }
}
