/// An `Authorization` header as the server reads it (RFC 3261 22.4,
/// RFC 7616 3.4): the fields of a digest answer to one of our
/// challenges, and the check of its `response` against a password.
/// Only what ivrc challenges with is accepted: `qop=auth` with an 8-digit
/// hex `nc` and a `cnonce`, algorithm MD5 or SHA-256.
public struct DigestAnswer: Sendable, Equatable {
    var user: String
    var realm: String
    var nonce: String
    var uri: String
    var response: String
    var algorithm: DigestAlgorithm
    var nonceCount: UInt32
    var clientNonce: String

    /// Why an answer is not acceptable (logged; the header itself never is).
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed
        case missing(String)
        case algorithm(String)
        case qop(String)
        case nonceCount

        public var description: String {
            switch self {
            case .malformed: "the Authorization header is not a well-formed Digest parameter list"
            case .missing(let name): "the Authorization header has no \(name)"
            case .algorithm(let name): "algorithm '\(name.prefix(32))' was not offered"
            case .qop(let qop): "qop '\(qop.prefix(32))' was not offered (qop=auth was)"
            case .nonceCount: "nc is not 8 hex digits"
            }
        }
    }

    /// The realm of a Digest `Authorization` value, or nil (another scheme,
    /// or not parseable): tells whether it is meant for us at all.
    static func realm(of header: String) -> String? {
        guard let list = AuthParameterList(header), list.scheme.lowercased() == "digest" else { return nil }
        return list.value("realm")
    }

    public init(parsing header: String) throws(Problem) {
        guard let list = AuthParameterList(header), list.scheme.lowercased() == "digest" else { throw .malformed }
        func required(_ name: String) throws(Problem) -> String {
            guard let value = list.value(name), !value.isEmpty else { throw .missing(name) }
            return value
        }
        user = try required("username")
        realm = try required("realm")
        nonce = try required("nonce")
        uri = try required("uri")
        response = try required("response").lowercased()
        let name = list.value("algorithm") ?? "MD5"
        guard let algorithm = DigestAlgorithm(named: name), algorithm == .md5 || algorithm == .sha256 else { throw .algorithm(name) }
        self.algorithm = algorithm
        let qop = try required("qop")
        guard qop.lowercased() == "auth" else { throw .qop(qop) }
        let nc = try required("nc")
        guard nc.utf8.count == 8, let count = UInt32(nc, radix: 16) else { throw .nonceCount }
        nonceCount = count
        clientNonce = try required("cnonce")
    }

    /// True when `response` is what `password` gives for `method`
    /// (compared in time independent of where they differ).
    public func isAnswered(by password: String, method: String) -> Bool {
        let challenge = DigestChallenge(realm: realm, nonce: nonce, algorithm: algorithm, qopAuth: true)
        let expected = DigestAuthorization(challenge: challenge, credential: DigestCredential(realm: realm, user: user, password: password),
                                           method: method, uri: uri, nonceCount: nonceCount, clientNonce: clientNonce).response
        let a = Array(expected.utf8), b = Array(response.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
