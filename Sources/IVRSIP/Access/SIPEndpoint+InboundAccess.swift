import NIOCore

/// `sip.inbound`, checked before a request reaches its transaction or its
/// method's handling (responses to our own requests never pass here):
///
/// 1. a request whose User-Agent is a known scanner is refused (403, or
///    nothing with `drop`), from any source;
/// 2. a source is *trusted* when it is inside an `allow` block, or when
///    `allow` is empty and there is no `auth` (with `auth` and an empty
///    `allow` every caller must authenticate). An untrusted source may
///    still send requests inside a dialog that was let in (and a CANCEL
///    of its INVITE), and new INVITEs when `auth` is set; anything else is
///    refused (ACK never gets an answer);
/// 3. a new INVITE (not a retransmission, not in a dialog) from any
///    source takes a token of its source's bucket: none left is 503 with
///    Retry-After;
/// 4. a new INVITE from an untrusted source must carry a digest answer
///    for `auth.realm`: without one (or with a nonce we did not make) it
///    gets 401 with two challenges (SHA-256, then MD5); a right answer
///    with an expired nonce gets 401 `stale=true`; a wrong one gets 403
///    (even with `drop`: the caller took part in a challenge). ACK and
///    CANCEL are never challenged.
///
/// Every refusal is stateless (no transaction, nothing cached): a flood of
/// them costs no memory beyond the bounded buckets and nonce counts.
extension SIPEndpoint {
    /// True when the request goes on to its transaction and handling.
    func admitted(_ request: SIPMessage, from peer: SIPPeer) -> Bool {
        let address = peer.address
        let policy = configuration.inbound
        let source = address.ipAddress ?? "?"
        if ScannerUserAgents.isScanner(request.headers["User-Agent"]) {
            stats.scanners += 1
            refuseSource(request, source, why: "a scanner's User-Agent")
            return false
        }
        // A retransmitted INVITE that was let in: its transaction answers it.
        if request.method == "INVITE", let key = ServerTransactionKey.of(request), inviteTransactions[key] != nil { return true }
        let trusted = policy.allow.isEmpty ? policy.auth == nil : policy.allow.contains { $0.contains(address) }
        let newInvite = request.method == "INVITE" && request.to?.tag == nil
        if !trusted, !belongsToAdmittedCall(request), !(newInvite && policy.auth != nil) {
            refuseSource(request, source, why: "outside sip.inbound.allow")
            return false
        }
        if newInvite, let verdict = access.limiter?.admit(source, now: Self.uptimeMilliseconds()), !verdict.admitted {
            stats.invitesRateLimited += 1
            if let report = verdict.report, let rate = policy.maxInvitesPerSecond {
                logger.warning("\(source): \(report) INVITE(s) over sip.inbound.max-invites-per-second (\(rate)) answered 503")
            }
            var busy = request.response(503, toTag: SIPIdentifiers.token(8))
            busy.headers.add("Retry-After", "1")
            busy.headers.add("Warning", "399 ivrc \"too many INVITEs from \(source)\"")
            sendStateless(request, busy)
            return false
        }
        if newInvite, !trusted, let auth = policy.auth {
            return authenticated(request, auth, source: source)
        }
        return true
    }

    /// A request inside a dialog that exists here (its To tag is ours), or
    /// a CANCEL/ACK of an INVITE that was let in (same Call-ID).
    func belongsToAdmittedCall(_ request: SIPMessage) -> Bool {
        guard let leg = request.callID.flatMap({ calls[$0] }) else { return false }
        if let tag = request.to?.tag { return tag == leg.localTag }
        return request.method == "CANCEL" || request.method == "ACK"
    }

    /// 403, or nothing with `drop` (and never an answer to an ACK).
    func refuseSource(_ request: SIPMessage, _ source: String, why: String) {
        guard request.method != "ACK", !configuration.inbound.drop else {
            stats.sourcesDropped += 1
            logger.debug("\(request.method) from \(source) dropped: \(why)")
            return
        }
        stats.sourcesRefused += 1
        logger.debug("\(request.method) from \(source) refused (403): \(why)")
        sendStateless(request, request.response(403, toTag: SIPIdentifiers.token(8)))
    }

    /// The digest check of a new INVITE from an untrusted source.
    func authenticated(_ request: SIPMessage, _ auth: InboundPolicy.InboundAuth, source: String) -> Bool {
        let now = Self.uptimeMilliseconds()
        func challenge(stale: Bool) -> Bool {
            stats.invitesChallenged += 1
            var r = request.response(401, toTag: SIPIdentifiers.token(8))
            let nonce = access.nonces.make(now: now)
            for algorithm in [DigestAlgorithm.sha256, .md5] {
                var value = "Digest realm=\(AuthParameterList.quoted(auth.realm)), nonce=\"\(nonce)\", qop=\"auth\", algorithm=\(algorithm.rawValue)"
                if stale { value += ", stale=true" }
                r.headers.add("WWW-Authenticate", value)
            }
            sendStateless(request, r)
            return false
        }
        func fail(_ why: String) -> Bool {
            stats.authFailures += 1
            logger.notice("INVITE from \(source) refused (403): \(why)")  // never the Authorization value
            var r = request.response(403, toTag: SIPIdentifiers.token(8))
            r.headers.add("Warning", "399 ivrc \"authentication failed\"")
            sendStateless(request, r)
            return false
        }
        let ours = request.headers.rawValues("Authorization").filter { DigestAnswer.realm(of: $0) == auth.realm }
        guard let header = ours.first else { return challenge(stale: false) }
        let answer: DigestAnswer
        do {
            answer = try DigestAnswer(parsing: header)
        } catch {
            return fail("\(error)")
        }
        let user = "'\(answer.user.prefix(64))'"
        guard answer.uri == request.requestURI else { return fail("the digest uri of user \(user) is not the Request-URI") }
        guard let password = auth.users[answer.user] else { return fail("user \(user) is unknown in realm '\(auth.realm)'") }
        let verdict = access.nonces.check(answer.nonce, now: now)
        if verdict == .unknown { return challenge(stale: false) }
        guard answer.isAnswered(by: password, method: request.method) else { return fail("wrong digest answer for user \(user)") }
        if verdict == .stale { return challenge(stale: true) }
        if let last = access.nonceCounts[answer.nonce], answer.nonceCount <= last {
            return fail("nonce count \(answer.nonceCount) of user \(user) was used before")
        }
        access.nonceCounts.insert(answer.nonce, answer.nonceCount)
        stats.invitesAuthenticated += 1
        logger.info("INVITE from \(source) authenticated as \(user)")
        return true
    }

    /// A response sent outside any transaction (a refusal: a retransmitted
    /// request is judged again).
    func sendStateless(_ request: SIPMessage, _ response: SIPMessage) {
        var response = response
        response.headers.add("Server", "ivrc")
        guard let destination = responseDestination(request) else { return }
        send(response, to: destination)
    }

    static func uptimeMilliseconds() -> UInt64 { NIODeadline.now().uptimeNanoseconds / 1_000_000 }
}
