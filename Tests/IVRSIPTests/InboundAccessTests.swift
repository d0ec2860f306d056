import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// `sip.inbound` on loopback: 127.0.0.1 (the harness's client) and
/// 127.0.0.2 are two sources; each policy is set on the harness's
/// `SIPConfiguration`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct InboundAccessTests {
    static let only127001 = [CIDRBlock("127.0.0.1/32")!]
    static let carrier = InboundPolicy.InboundAuth(realm: "ivr.test", users: ["carrier": "pw"])

    /// A client on 127.0.0.2: the other source.
    static func secondSource() throws -> UDPClient {
        let client = UDPClient(host: "127.0.0.2")
        try #require(client.bound, "127.0.0.2 is not usable here")
        return client
    }

    /// An INVITE (with SDP) from `client`, as the harness writes them.
    static func invite(_ h: ServerHarness, from client: UDPClient, callID: String, rtpPort: Int = 9,
                       branch: String = "z9hG4bK\(UUID().uuidString.prefix(8))", extra: String = "") -> String {
        var s = "INVITE sip:100@127.0.0.1:\(h.port) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP \(client.host):\(client.port);branch=\(branch);rport\r\n"
        s += "From: <sip:tester@\(client.host)>;tag=caller\r\nTo: <sip:100@127.0.0.1>\r\n"
        s += "Call-ID: \(callID)\r\nCSeq: 1 INVITE\r\nContact: <sip:tester@\(client.host):\(client.port)>\r\nMax-Forwards: 70\r\n"
        s += extra
        let body = h.offer(rtpPort: rtpPort)
        return s + "Content-Type: application/sdp\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func inDialog(_ h: ServerHarness, _ method: String, from client: UDPClient, callID: String, toTag: String?, cseq: Int) -> String {
        var s = "\(method) sip:100@127.0.0.1:\(h.port) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP \(client.host):\(client.port);branch=z9hG4bK\(UUID().uuidString.prefix(8));rport\r\n"
        s += "From: <sip:tester@\(client.host)>;tag=caller\r\nTo: <sip:100@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        return s
    }

    /// Sends `request` from `client` and returns the first response `match`
    /// accepts, sending the same request again every 2 s without one (up to
    /// 15 times), as a UA over UDP would: a flood may fill the server's
    /// socket buffer.
    static func exchange(_ client: UDPClient, _ request: String, toPort port: Int,
                         until match: (SIPMessageView) -> Bool) async -> SIPMessageView? {
        for _ in 0..<15 {
            client.send(request, toPort: port)
            if let answer = await client.receiveSIP(timeout: 2, until: match).0 { return answer }
        }
        return nil
    }

    /// The first final response to an INVITE of `callID`.
    static func finalAnswer(_ client: UDPClient, callID: String, timeout: Double = 30) async -> SIPMessageView? {
        await client.receiveSIP(timeout: timeout) { ($0.status ?? 0) >= 200 && $0.isInviteResponse && $0.header("Call-ID") == callID }.0
    }

    static func stats(_ h: ServerHarness) async throws -> SIPEndpoint.Stats {
        let endpoint = h.server.endpoint
        return try await endpoint.eventLoop.submit { endpoint.stats }.get()
    }

    /// ACK to a final response (for the non-2xx ones and for 200).
    static func ack(_ h: ServerHarness, from client: UDPClient, callID: String, toTag: String?) {
        client.send(inDialog(h, "ACK", from: client, callID: callID, toTag: toTag, cseq: 1), toPort: h.port)
    }

    @Test func sourceOutsideAllowGets403AndOneInsideIsAnswered() async throws {
        let h = try await ServerHarness { $0.inbound = InboundPolicy(allow: Self.only127001) }
        let outsider = try Self.secondSource()
        outsider.send(Self.invite(h, from: outsider, callID: "outside-1"), toPort: h.port)
        let refused = await Self.finalAnswer(outsider, callID: "outside-1")
        #expect(refused?.status == 403)
        outsider.send(Self.inDialog(h, "OPTIONS", from: outsider, callID: "outside-2", toTag: nil, cseq: 1), toPort: h.port)
        let options = await outsider.receiveSIP { $0.header("Call-ID") == "outside-2" }.0
        #expect(options?.status == 403, "any method")
        let rtp = UDPClient()
        let ok = await h.establish(callID: "inside-1", rtp: rtp)
        #expect(ok?.status == 200, "127.0.0.1 is inside the allow list")
        #expect(try await Self.stats(h).sourcesRefused == 2)
        #expect(await h.ask(h.request("BYE", callID: "inside-1", cseq: 2, toTag: ok?.toTag))?.status == 200)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func dropSendsNothingToAnOutsider() async throws {
        let h = try await ServerHarness { $0.inbound = InboundPolicy(allow: Self.only127001, drop: true) }
        let outsider = try Self.secondSource()
        outsider.send(Self.invite(h, from: outsider, callID: "dropped-1"), toPort: h.port)
        outsider.send(Self.inDialog(h, "OPTIONS", from: outsider, callID: "dropped-2", toTag: nil, cseq: 1), toPort: h.port)
        // The event waited for: the server has handled both (its counter), then nothing came back.
        var dropped = 0
        for _ in 0..<600 where dropped < 2 {
            dropped = try await Self.stats(h).sourcesDropped
            if dropped < 2 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(dropped == 2)
        // An allowed request sent after them is answered; the outsider's socket got nothing before or after.
        #expect(await h.ask(h.request("OPTIONS", callID: "allowed-options"))?.status == 200)
        #expect(await outsider.drain(quiet: 1).isEmpty, "a dropped source hears nothing")
        await h.stop()
    }

    /// INVITE, 401, INVITE with the answer: the final response to the second.
    static func authenticatedCall(_ h: ServerHarness, _ client: UDPClient, callID: String, password: String, digestURI: String? = nil,
                                  tamper: (String) -> String = { $0 }) async throws -> SIPMessageView {
        let rtp = UDPClient()
        client.send(invite(h, from: client, callID: callID, rtpPort: rtp.port), toPort: h.port)
        let challenged = try #require(await finalAnswer(client, callID: callID))
        #expect(challenged.status == 401)
        ack(h, from: client, callID: callID, toTag: challenged.toTag)
        let headers = challenged.text.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("www-authenticate:") }
        #expect(headers.count == 2)
        #expect(headers.first?.contains("algorithm=SHA-256") == true, "SHA-256 offered first (RFC 8760)")
        #expect(headers.last?.contains("algorithm=MD5") == true)
        #expect(headers.allSatisfy { $0.contains("qop=\"auth\"") && $0.contains("realm=\"ivr.test\"") })
        let challenge = try DigestChallenge(parsing: String(headers[0].dropFirst("WWW-Authenticate:".count)), fromProxy: false)
        let answer = DigestAuthorization(challenge: challenge, credential: DigestCredential(realm: nil, user: "carrier", password: password),
                                         method: "INVITE", uri: digestURI ?? "sip:100@127.0.0.1:\(h.port)")
        client.send(tamper(invite(h, from: client, callID: callID, rtpPort: rtp.port, extra: "Authorization: \(answer.headerValue)\r\n")),
                    toPort: h.port)
        return try #require(await finalAnswer(client, callID: callID))
    }

    @Test func authChallengesOutsidersAndLetsTheRightPasswordIn() async throws {
        let h = try await ServerHarness {
            $0.inbound = InboundPolicy(allow: Self.only127001, auth: Self.carrier)
        }
        let outsider = try Self.secondSource()
        let ok = try await Self.authenticatedCall(h, outsider, callID: "auth-ok", password: "pw")
        #expect(ok.status == 200)
        Self.ack(h, from: outsider, callID: "auth-ok", toTag: ok.toTag)
        // In-dialog requests of the call that was let in reach it, though their source is outside allow.
        outsider.send(Self.inDialog(h, "BYE", from: outsider, callID: "auth-ok", toTag: ok.toTag, cseq: 2), toPort: h.port)
        let bye = await outsider.receiveSIP { $0.header("Call-ID") == "auth-ok" && $0.header("CSeq") == "2 BYE" }.0
        #expect(bye?.status == 200, "the BYE of a call that was let in is served")
        #expect(await h.record("auth-ok")?.outcome == "caller-hangup")
        let wrong = try await Self.authenticatedCall(h, outsider, callID: "auth-wrong", password: "guess")
        #expect(wrong.status == 403, "a wrong password")
        // A right answer, but for another URI than the Request-URI.
        let otherURI = try await Self.authenticatedCall(h, outsider, callID: "auth-uri", password: "pw", digestURI: "sip:101@127.0.0.1:\(h.port)")
        #expect(otherURI.status == 403, "the digest uri must be the Request-URI")
        // Inside allow: no challenge at all.
        let rtp = UDPClient()
        let inside = await h.establish(callID: "auth-inside", rtp: rtp)
        #expect(inside?.status == 200)
        let stats = try await Self.stats(h)
        #expect(stats.invitesAuthenticated == 1 && stats.authFailures == 2 && stats.invitesChallenged == 3)
        h.server.endpoint.hangUpAll()
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func replayedAnswerIsRefused() async throws {
        let h = try await ServerHarness {
            $0.inbound = InboundPolicy(auth: Self.carrier)  // empty allow: everyone authenticates
        }
        let client = try Self.secondSource()
        var replayed = ""
        let ok = try await Self.authenticatedCall(h, client, callID: "replay-1", password: "pw") { replayed = $0; return $0 }
        #expect(ok.status == 200)
        Self.ack(h, from: client, callID: "replay-1", toTag: ok.toTag)
        // The same answer (nonce, nc=1) in a new INVITE transaction of another call.
        client.send(replayed.replacingOccurrences(of: "Call-ID: replay-1", with: "Call-ID: replay-2")
                        .replacingOccurrences(of: ";branch=", with: ";branch=z9hG4bKother"), toPort: h.port)
        #expect(await Self.finalAnswer(client, callID: "replay-2")?.status == 403)
        h.server.endpoint.hangUpAll()
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    @Test func staleNonceGetsStaleChallenge() async throws {
        let h = try await ServerHarness {
            $0.inbound = InboundPolicy(allow: Self.only127001,
                                       auth: .init(realm: "ivr.test", users: ["carrier": "pw"], nonceLifetime: .milliseconds(200)))
        }
        let outsider = try Self.secondSource()
        let rtp = UDPClient()
        outsider.send(Self.invite(h, from: outsider, callID: "stale"), toPort: h.port)
        let first = try #require(await Self.finalAnswer(outsider, callID: "stale"))
        #expect(first.status == 401)
        Self.ack(h, from: outsider, callID: "stale", toTag: first.toTag)
        let header = try #require(first.header("WWW-Authenticate"))
        let challenge = try DigestChallenge(parsing: header, fromProxy: false)
        try await Task.sleep(for: .milliseconds(600))  // the nonce's lifetime is 200 ms: it must be old, not absent
        let answer = DigestAuthorization(challenge: challenge, credential: DigestCredential(realm: nil, user: "carrier", password: "pw"),
                                         method: "INVITE", uri: "sip:100@127.0.0.1:\(h.port)")
        outsider.send(Self.invite(h, from: outsider, callID: "stale", rtpPort: rtp.port, extra: "Authorization: \(answer.headerValue)\r\n"),
                      toPort: h.port)
        let second = try #require(await Self.finalAnswer(outsider, callID: "stale"))
        #expect(second.status == 401)
        #expect(second.header("WWW-Authenticate")?.contains("stale=true") == true, "\(second.text)")
        await h.stop()
    }

    @Test func scannerIsRefusedEvenFromAnAllowedSource() async throws {
        let h = try await ServerHarness()  // no policy: everyone allowed
        let rtp = UDPClient()
        h.client.send(Self.invite(h, from: h.client, callID: "scan-1", rtpPort: rtp.port, extra: "User-Agent: friendly-scanner\r\n"),
                      toPort: h.port)
        #expect(await Self.finalAnswer(h.client, callID: "scan-1")?.status == 403)
        #expect(await h.ask(h.request("OPTIONS", callID: "scan-2", extraHeaders: "User-Agent: SIPVicious/0.3.4\r\n"))?.status == 403)
        let stats = try await Self.stats(h)
        #expect(stats.scanners == 2 && stats.callsAnswered == 0)
        let active = await h.server.endpoint.activeCallCount()
        #expect(h.records.count == 0 && active == 0, "nothing reached a flow")
        await h.stop()
    }

    @Test func invitesBeyondTheRateGet503WithRetryAfter() async throws {
        let h = try await ServerHarness { $0.inbound = InboundPolicy(maxInvitesPerSecond: 2) }
        // To an extension with no flow: admitted INVITEs get 404, refused ones 503.
        var statuses: [Int] = []
        var retryAfter: String?
        for i in 0..<6 {
            h.client.send(h.request("INVITE", user: "999", callID: "rate-\(i)", body: h.offer(rtpPort: 9), type: "application/sdp"), toPort: h.port)
        }
        var answered: Set<String> = []
        while answered.count < 6 {
            // Each call's first final response (the 404s come again until ACKed; they are not ACKed here).
            guard let answer = await h.client.receiveSIP(until: { ($0.status ?? 0) >= 200 && $0.isInviteResponse }).0 else { break }
            guard let callID = answer.header("Call-ID"), answered.insert(callID).inserted else { continue }
            statuses.append(answer.status ?? 0)
            if answer.status == 503 { retryAfter = answer.header("Retry-After") }
        }
        #expect(statuses.filter { $0 == 404 }.count >= 2, "\(statuses)")
        #expect(statuses.filter { $0 == 503 }.count >= 3, "\(statuses): 6 INVITEs at once, 2 tokens")
        #expect(retryAfter == "1")
        // Another source has its own bucket.
        let other = try Self.secondSource()
        // Request-URI and To both name 999: no flow either way (flow-language.md 8).
        other.send(Self.invite(h, from: other, callID: "rate-other").replacingOccurrences(of: "sip:100@127.0.0.1", with: "sip:999@127.0.0.1"),
                   toPort: h.port)
        #expect(await Self.finalAnswer(other, callID: "rate-other")?.status == 404)
        #expect(try await Self.stats(h).invitesRateLimited == statuses.filter { $0 == 503 }.count)
        await h.stop()
    }
}
