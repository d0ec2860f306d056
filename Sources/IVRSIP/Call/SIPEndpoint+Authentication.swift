import NIOCore

/// Where a request stands in answering digest challenges (RFC 3261 22.2):
/// the realms already answered, and whether a stale nonce was retried.
struct AuthAttempt: Sendable {
    var answeredRealms: Set<String> = []
    var staleRetried = false
}

extension SIPEndpoint {
    /// Sends a request that may be challenged (INVITE, BYE, REFER, INFO,
    /// REGISTER): in a client transaction, and on a `401`/`407` answerable
    /// with `configuration.credentials`, once more with the answer (a new
    /// branch, the next CSeq; a `stale=true` challenge once more again).
    /// A second challenge for a realm already answered, a `403` after an
    /// answer, or a challenge that cannot be answered ends the request:
    /// `completion` gets the final response and why authentication failed.
    /// `started` sees each transaction and the request it carries (the
    /// INVITE's CANCEL must name the latest). CANCEL and ACK are never
    /// challenged and go through `transact` directly. `credentials`, when
    /// given, replaces `configuration.credentials` (a registration's own).
    func sendChallengeable(_ request: SIPMessage, to address: SIPPeer, in leg: CallLeg?, attempt: AuthAttempt = AuthAttempt(),
                           credentials: [DigestCredential]? = nil,
                           provisional: ((SIPMessage) -> Void)? = nil,
                           started: ((ClientTransaction, SIPMessage) -> Void)? = nil,
                           completion: @escaping (SIPMessage?, _ authFailure: String?) -> Void) {
        let tx = transact(request, to: address, provisional: provisional) { [self] response in
            guard let response, let status = response.status else { return completion(nil, nil) }
            // A cancelled INVITE is not retried: its challenge ends it.
            if status == 401 || status == 407, !(request.method == "INVITE" && leg?.dialing.cancelled != nil) {
                switch self.answer(response, to: request, in: leg, attempt: attempt, credentials: credentials) {
                case .retry(let retried, let next):
                    self.sendChallengeable(retried, to: address, in: leg, attempt: next, credentials: credentials,
                                           provisional: provisional, started: started, completion: completion)
                case .fail(let why):
                    self.logger.warning("\(why)", metadata: ["call-id": "\(request.callID ?? "")", "method": "\(request.method)"])
                    completion(response, why)
                }
                return
            }
            if status == 403, let realm = attempt.answeredRealms.sorted().first {
                let why = "auth failed: 403 \(Self.reason(response)) from \(realm)"
                self.logger.warning("\(why)", metadata: ["call-id": "\(request.callID ?? "")", "method": "\(request.method)"])
                return completion(response, why)
            }
            completion(response, nil)
        }
        if let tx { started?(tx, request) }
    }

    enum ChallengeAnswer {
        case retry(SIPMessage, AuthAttempt)
        case fail(String)
    }

    /// The retry that answers a `401`/`407`, or why there is none.
    func answer(_ response: SIPMessage, to request: SIPMessage, in leg: CallLeg?, attempt: AuthAttempt,
                credentials: [DigestCredential]? = nil) -> ChallengeAnswer {
        let status = response.status ?? 401
        let phrase = "\(status) \(Self.reason(response))"
        let parsed = DigestChallenge.all(in: response)
        let challenges = parsed.compactMap { try? $0.get() }
        let from = challenges.first?.realm ?? (request.requestURI.flatMap(SIPURI.init)?.host ?? "the peer")
        guard !parsed.isEmpty else { return .fail("auth failed: \(phrase) from \(from) carries no challenge") }
        let credentials = credentials ?? configuration.credentials
        guard !credentials.isEmpty else { return .fail("auth failed: \(phrase) from \(from): no sip.credentials to answer it") }
        let answerable = challenges.filter { DigestCredential.pick(credentials, for: $0) != nil }
        guard let challenge = answerable.max(by: { $0.algorithm.strength < $1.algorithm.strength }) else {
            if challenges.isEmpty, case .failure(let problem) = parsed[0] {
                return .fail("auth failed: \(phrase) from \(from): \(problem)")
            }
            return .fail("auth failed: \(phrase) from \(from): no sip.credentials for realm '\(from.prefix(80))'")
        }
        var next = attempt
        if attempt.answeredRealms.contains(challenge.realm) {
            guard challenge.stale, !attempt.staleRetried else {
                return .fail("auth failed: \(phrase) from \(challenge.realm) (credentials refused)")
            }
            next.staleRetried = true
        }
        next.answeredRealms.insert(challenge.realm)
        guard let credential = DigestCredential.pick(credentials, for: challenge) else { return .fail("auth failed: \(phrase)") }
        let uri = request.requestURI ?? ""
        let authorization = DigestAuthorization(challenge: challenge, credential: credential, method: request.method, uri: uri,
                                                nonceCount: nextNonceCount(challenge.nonce))
        logger.info("answering \(status) from realm \(challenge.realm) as \(credential.user) (\(challenge.algorithm.rawValue))",
                    metadata: ["call-id": "\(request.callID ?? "")", "method": "\(request.method)"])
        return .retry(Self.retried(request, with: authorization, leg: leg), next)
    }

    /// The request again: a new branch, the next CSeq (the dialog's, when
    /// in one), the earlier answer for the same realm replaced.
    static func retried(_ request: SIPMessage, with authorization: DigestAuthorization, leg: CallLeg?) -> SIPMessage {
        var retry = request
        var headers = SIPHeaders()
        let number: UInt32
        if let leg {
            leg.localCSeq += 1
            number = leg.localCSeq
        } else {
            number = (request.cseq?.number ?? 1) + 1
        }
        for field in request.headers {
            switch field.name.lowercased() {
            case "via" where headers["Via"] == nil:
                if var via = Via(field.value) {
                    via.setParameter("branch", SIPIdentifiers.branch())
                    headers.add("Via", via.description)
                } else {
                    headers.add(field.name, field.value)
                }
            case "cseq":
                headers.add("CSeq", "\(number) \(request.method)")
            case "authorization", "proxy-authorization":
                if field.name.lowercased() == authorization.headerName.lowercased(),
                   AuthParameterList(field.value)?.value("realm") == authorization.challenge.realm { continue }
                headers.add(field.name, field.value)
            default:
                headers.add(field.name, field.value)
            }
        }
        headers.add(authorization.headerName, authorization.headerValue)
        retry.headers = headers
        return retry
    }

    /// `nc` for a nonce: 1 the first time, then counting (RFC 7616 3.4).
    func nextNonceCount(_ nonce: String) -> UInt32 {
        if nonceCounts.count >= 256, nonceCounts[nonce] == nil { nonceCounts.removeAll() }
        let n = (nonceCounts[nonce] ?? 0) + 1
        nonceCounts[nonce] = n
        return n
    }
}
