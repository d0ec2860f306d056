import Testing
@testable import IVRSIP

/// Digest authentication as a client (RFC 3261 22, RFC 7616): challenges
/// parsed or refused with a reason, answers computed as the RFC's examples.
struct DigestTests {
    static let mufasa = DigestCredential(realm: "http-auth@example.org", user: "Mufasa", password: "Circle of Life")
    static let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    static let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    static let opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

    /// RFC 7616 3.9.1: the same request answered with MD5 and with SHA-256.
    @Test(arguments: [("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
                      ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")])
    func rfc7616Examples(algorithm: String, expected: String) throws {
        let challenge = try DigestChallenge(parsing: """
            Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=\(algorithm), \
            nonce="\(Self.nonce)", opaque="\(Self.opaque)"
            """, fromProxy: false)
        #expect(challenge.qopAuth && challenge.opaque == Self.opaque && !challenge.stale)
        let answer = DigestAuthorization(challenge: challenge, credential: Self.mufasa, method: "GET", uri: "/dir/index.html",
                                         nonceCount: 1, clientNonce: Self.cnonce)
        #expect(answer.response == expected)
        #expect(answer.headerName == "Authorization")
        let sent = try #require(AuthParameterList(answer.headerValue))
        #expect(sent.scheme == "Digest")
        #expect(sent.value("username") == "Mufasa" && sent.value("realm") == "http-auth@example.org")
        #expect(sent.value("uri") == "/dir/index.html" && sent.value("response") == expected)
        #expect(sent.value("qop") == "auth" && sent.value("nc") == "00000001" && sent.value("cnonce") == Self.cnonce)
        #expect(sent.value("opaque") == Self.opaque && sent.value("algorithm") == algorithm)
        #expect(!answer.headerValue.contains("Circle of Life"))
    }

    /// Without qop (RFC 2069 form, still sent by old PBXs): no nc, no cnonce.
    @Test func withoutQop() throws {
        let challenge = try DigestChallenge(parsing: "Digest realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"",
                                            fromProxy: true)
        let answer = DigestAuthorization(challenge: challenge, credential: DigestCredential(realm: nil, user: "bob", password: "zanzibar"),
                                         method: "INVITE", uri: "sip:bob@biloxi.com")
        #expect(answer.response == "bf57e4e0d0bffc0fbaedce64d59add5e")
        #expect(answer.headerName == "Proxy-Authorization")
        #expect(!answer.headerValue.contains("nc=") && !answer.headerValue.contains("cnonce"))
    }

    /// The `-sess` form hashes the nonces into HA1; `nc` counts in hex.
    @Test func sessionAlgorithmAndNonceCount() throws {
        let challenge = DigestChallenge(realm: "http-auth@example.org", nonce: Self.nonce, algorithm: .sha256Session)
        let answer = DigestAuthorization(challenge: challenge, credential: Self.mufasa, method: "REGISTER", uri: "sip:example.org",
                                         nonceCount: 2, clientNonce: Self.cnonce)
        #expect(answer.response == "8d3974116150d0cb3552c0c35f5da82c3121a090f87631d4d7d81d61d20f9192")
        #expect(DigestAuthorization.count(255) == "000000ff")
    }

    @Test func freshClientNonces() {
        let challenge = DigestChallenge(realm: "r", nonce: "n")
        let a = DigestAuthorization(challenge: challenge, credential: Self.mufasa, method: "INVITE", uri: "sip:x")
        let b = DigestAuthorization(challenge: challenge, credential: Self.mufasa, method: "INVITE", uri: "sip:x")
        #expect(a.clientNonce != b.clientNonce && a.clientNonce.count >= 16)
    }

    @Test func staleAndCaseInsensitiveNames() throws {
        let c = try DigestChallenge(parsing: "digest REALM=\"a\",NONCE=\"b\" , Stale=TRUE,algorithm=sha-256", fromProxy: false)
        #expect(c.stale && c.algorithm == .sha256 && c.realm == "a" && c.nonce == "b" && !c.qopAuth)
    }

    @Test func quotedValuesKeepCommasAndEscapes() throws {
        let c = try DigestChallenge(parsing: #"Digest realm="a, \"b\"", nonce="x\\y""#, fromProxy: false)
        #expect(c.realm == #"a, "b""#)
        #expect(c.nonce == #"x\y"#)
        #expect(AuthParameterList.quoted(#"a "b" \c"#) == #""a \"b\" \\c""#)
    }

    /// Challenges ivrc cannot answer say why, and never crash.
    @Test(arguments: [
        ("Basic realm=\"x\"", DigestChallenge.Problem.notDigest(scheme: "Basic")),
        ("Digest nonce=\"n\"", .missing("realm")),
        ("Digest realm=\"r\"", .missing("nonce")),
        ("Digest realm=\"r\", nonce=\"\"", .missing("nonce")),
        ("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", .unknownAlgorithm("SHA-512-256")),
        ("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", .onlyAuthInt),
        ("Digest realm=\"r, nonce=\"n\"", .malformed),
        ("Digest realm", .malformed),
        ("Digest realm=\"r\" nonce=\"n\"", .malformed),
        ("", .malformed),
        ("Digest " + String(repeating: "a=b, ", count: 40) + "realm=r, nonce=n", .malformed),
        ("Digest realm=\"" + String(repeating: "x", count: 5000) + "\", nonce=n", .malformed),
    ])
    func unanswerableChallenges(header: String, problem: DigestChallenge.Problem) {
        #expect(throws: problem) { try DigestChallenge(parsing: header, fromProxy: false) }
    }

    @Test func credentialsPickTheirRealmAndHideThePassword() {
        let any = DigestCredential(realm: nil, user: "u0", password: "secret-any")
        let trunk = DigestCredential(realm: "trunk.example", user: "u1", password: "secret-trunk")
        let challenge = DigestChallenge(realm: "trunk.example", nonce: "n")
        #expect(DigestCredential.pick([any, trunk], for: challenge) == trunk)
        #expect(DigestCredential.pick([any, trunk], for: DigestChallenge(realm: "other", nonce: "n")) == any)
        #expect(DigestCredential.pick([trunk], for: DigestChallenge(realm: "other", nonce: "n")) == nil)
        #expect(!"\(trunk)".contains("secret"))
        #expect(!String(reflecting: trunk).contains("secret"))
    }
}
