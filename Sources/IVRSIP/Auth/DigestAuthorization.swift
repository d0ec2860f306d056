/// The `Authorization` / `Proxy-Authorization` value answering a digest
/// challenge (RFC 3261 22.4, RFC 7616 3.4): `response` computed from the
/// credential, the request's method and Request-URI, the nonce, and with
/// `qop=auth` a nonce count and a fresh client nonce.
public struct DigestAuthorization: Sendable {
    public var challenge: DigestChallenge
    public var user: String
    public var uri: String
    public var nonceCount: UInt32
    public var clientNonce: String
    /// The `response` parameter (lower-case hex).
    public var response: String

    public init(challenge: DigestChallenge, credential: DigestCredential, method: String, uri: String,
                nonceCount: UInt32 = 1, clientNonce: String? = nil) {
        self.challenge = challenge
        self.user = credential.user
        self.uri = uri
        self.nonceCount = nonceCount
        let clientNonce = clientNonce ?? SIPIdentifiers.token(24)  // SystemRandomNumberGenerator: the OS's CSPRNG
        self.clientNonce = clientNonce
        let h = challenge.algorithm
        var ha1 = h.hash("\(credential.user):\(challenge.realm):\(credential.password)")
        if h.isSession { ha1 = h.hash("\(ha1):\(challenge.nonce):\(clientNonce)") }
        let ha2 = h.hash("\(method):\(uri)")
        response = challenge.qopAuth
            ? h.hash("\(ha1):\(challenge.nonce):\(Self.count(nonceCount)):\(clientNonce):auth:\(ha2)")
            : h.hash("\(ha1):\(challenge.nonce):\(ha2)")
    }

    /// `nc`: eight hex digits.
    static func count(_ n: UInt32) -> String { String(n, radix: 16).leftPadded(to: 8) }

    /// The header name this answer goes in.
    public var headerName: String { challenge.fromProxy ? "Proxy-Authorization" : "Authorization" }

    /// The header value.
    public var headerValue: String {
        let q = AuthParameterList.quoted
        var s = "Digest username=\(q(user)), realm=\(q(challenge.realm)), nonce=\(q(challenge.nonce)), uri=\(q(uri))"
        s += ", response=\(q(response)), algorithm=\(challenge.algorithm.rawValue)"
        if challenge.qopAuth { s += ", cnonce=\(q(clientNonce)), qop=auth, nc=\(Self.count(nonceCount))" }
        if let opaque = challenge.opaque { s += ", opaque=\(q(opaque))" }
        return s
    }
}
