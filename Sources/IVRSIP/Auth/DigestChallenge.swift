/// One `WWW-Authenticate` (401) or `Proxy-Authenticate` (407) digest
/// challenge (RFC 3261 22.1, RFC 7616 3.3), checked on the way in: a
/// challenge ivrc cannot answer says why instead of being half-answered.
public struct DigestChallenge: Sendable, Equatable {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: DigestAlgorithm
    /// `qop="auth"` was offered (else the RFC 2069 form without qop is used).
    public var qopAuth: Bool
    /// The nonce was stale: the credentials were right (RFC 7616 3.3).
    public var stale: Bool
    /// From a 407 (`Proxy-Authenticate`, answered with `Proxy-Authorization`).
    public var fromProxy: Bool

    /// Why a challenge cannot be answered.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notDigest(scheme: String)
        case malformed
        case missing(String)
        case unknownAlgorithm(String)
        case onlyAuthInt

        public var description: String {
            switch self {
            case .notDigest(let scheme): "the challenge is '\(scheme.prefix(32))', not Digest"
            case .malformed: "the challenge is not a well-formed parameter list"
            case .missing(let name): "the challenge has no \(name)"
            case .unknownAlgorithm(let name): "the challenge asks for algorithm '\(name.prefix(32))' (ivrc answers MD5 and SHA-256)"
            case .onlyAuthInt: "the challenge offers only qop=auth-int (ivrc answers qop=auth)"
            }
        }
    }

    public init(realm: String, nonce: String, opaque: String? = nil, algorithm: DigestAlgorithm = .md5, qopAuth: Bool = true,
                stale: Bool = false, fromProxy: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qopAuth = qopAuth
        self.stale = stale
        self.fromProxy = fromProxy
    }

    /// Parses one header value.
    public init(parsing header: String, fromProxy: Bool) throws(Problem) {
        guard let list = AuthParameterList(header) else { throw .malformed }
        guard list.scheme.lowercased() == "digest" else { throw .notDigest(scheme: list.scheme) }
        guard let realm = list.value("realm") else { throw .missing("realm") }
        guard let nonce = list.value("nonce"), !nonce.isEmpty else { throw .missing("nonce") }
        let name = list.value("algorithm") ?? "MD5"
        guard let algorithm = DigestAlgorithm(named: name) else { throw .unknownAlgorithm(name) }
        var qopAuth = false
        if let qop = list.value("qop") {
            let options = qop.split(separator: ",").map { $0.trimmingCharacters(in: " \t").lowercased() }
            qopAuth = options.contains("auth")
            if !qopAuth, options.contains("auth-int") { throw .onlyAuthInt }
        }
        self.init(realm: realm, nonce: nonce, opaque: list.value("opaque"), algorithm: algorithm, qopAuth: qopAuth,
                  stale: list.value("stale")?.lowercased() == "true", fromProxy: fromProxy)
    }

    /// Every challenge of a 401 or 407, each parsed or with its problem, in order.
    public static func all(in response: SIPMessage) -> [Result<DigestChallenge, Problem>] {
        let proxy = response.status == 407
        return response.headers.rawValues(proxy ? "Proxy-Authenticate" : "WWW-Authenticate").map { header in
            Result { () throws(Problem) -> DigestChallenge in try DigestChallenge(parsing: header, fromProxy: proxy) }
        }
    }
}
