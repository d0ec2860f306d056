import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// Dialogs through proxies (RFC 3261 12.1, 12.2, 8.1.2) on a running
/// server, with plain sockets playing the proxies and the phones: the
/// route set from Record-Route carries REFER, BYE and ACK through the
/// proxies; the outbound proxy carries the initial INVITE.
@Suite(.serialized, .dedicatedExecutor) struct DialogRoutingTests {
    static let transferFlow = """
        ivr: main
        extension: "100"
        nodes:
          start:
            - transfer: {extension: "200"}
        """

    /// An INVITE as a proxy at `proxy` relays it from the phone at `phone`.
    static func relayedInvite(_ h: ServerHarness, callID: String, proxy: Int, phone: Int, recordRoute: [String],
                              rtpPort: Int, branch: String = "z9hG4bKrelay") -> String {
        let sdp = h.offer(rtpPort: rtpPort)
        var s = "INVITE sip:100@127.0.0.1:\(h.port) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP 127.0.0.1:\(proxy);branch=\(branch);rport\r\n"
        s += "Via: SIP/2.0/UDP 127.0.0.1:\(phone);branch=z9hG4bKphone\r\n"
        for route in recordRoute { s += "Record-Route: \(route)\r\n" }
        s += "From: <sip:tester@127.0.0.1>;tag=caller\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: \(callID)\r\nCSeq: 1 INVITE\r\n"
        s += "Contact: <sip:tester@127.0.0.1:\(phone)>\r\nMax-Forwards: 69\r\nContent-Type: application/sdp\r\n"
        return s + "Content-Length: \(sdp.utf8.count)\r\n\r\n" + sdp
    }

    static func routes(_ m: SIPMessageView) -> [String] {
        m.text.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("route:") }
            .map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
    }

    /// 12.1.1 and 12.2.1.1: the 200 carries the Record-Route lines as they
    /// came; the REFER and the BYE go to the first route (not to the
    /// address the INVITE came from) with every route as a Route header
    /// and the caller's Contact as Request-URI.
    @Test func referAndByeFollowTheRecordRouteOfTheInvite() async throws {
        let h = try await ServerHarness(flow: Self.transferFlow) { $0.t1 = 500; $0.t2 = 4000 }
        let edge = UDPClient(), inner = UDPClient(), phone = UDPClient(), rtp = UDPClient()
        let recordRoute = ["<sip:127.0.0.1:\(inner.port);lr;ftag=caller>", "<sip:127.0.0.1:\(edge.port);lr>"]
        edge.send(Self.relayedInvite(h, callID: "rr1", proxy: edge.port, phone: phone.port, recordRoute: recordRoute,
                                     rtpPort: rtp.port), toPort: h.port)
        let ok = try #require(await edge.receiveSIP(timeout: 60) { $0.status == 200 }.0)
        #expect(ok.text.components(separatedBy: "\r\n").filter { $0.hasPrefix("Record-Route:") }
            == recordRoute.map { "Record-Route: \($0)" })
        edge.send(h.request("ACK", callID: "rr1", toTag: ok.toTag), toPort: h.port)
        let (found, seen) = await inner.receiveSIP(timeout: 90) { $0.method == "REFER" }
        let refer = try #require(found, "no REFER at the first route; got \(seen.map(\.firstLine))")
        #expect(refer.firstLine == "REFER sip:tester@127.0.0.1:\(phone.port) SIP/2.0")
        #expect(Self.routes(refer) == recordRoute)
        inner.send(SensitiveTransferTests.accepted(refer), toPort: h.port)
        inner.send(h.request("NOTIFY", callID: "rr1", cseq: 10, toTag: ok.toTag, body: "SIP/2.0 200 OK\r\n", type: "message/sipfrag",
                             extraHeaders: "Event: refer\r\nSubscription-State: terminated;reason=noresource\r\n"), toPort: h.port)
        let bye = try #require(await inner.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        #expect(bye.firstLine == "BYE sip:tester@127.0.0.1:\(phone.port) SIP/2.0")
        #expect(Self.routes(bye) == recordRoute)
        inner.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        var record: CallRecord?
        for _ in 0..<9 where record == nil { record = await h.record("rr1") }
        #expect(record?.outcome == "transfer")
        #expect(await phone.receive(timeout: 0.2) == nil, "nothing bypassed the proxies")
        await h.stop()
    }

    /// 12.2.1.1: no Record-Route, and the INVITE came through a proxy (two
    /// Vias): the route set is empty and the BYE goes to the caller's Contact.
    @Test func withoutRecordRouteTheByeGoesToTheContact() async throws {
        let h = try await ServerHarness()
        let proxy = UDPClient(), phone = UDPClient(), rtp = UDPClient()
        proxy.send(Self.relayedInvite(h, callID: "rr2", proxy: proxy.port, phone: phone.port, recordRoute: [], rtpPort: rtp.port),
                   toPort: h.port)
        let ok = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 200 }.0)
        #expect(!ok.text.contains("Record-Route"))
        proxy.send(h.request("ACK", callID: "rr2", toTag: ok.toTag), toPort: h.port)
        let serverRTP = try #require(ok.audioPort)
        #expect(await rtp.receive(timeout: 90) != nil, "the menu prompt plays")
        for bytes in ServerHarness.keyPress(2, timestamp: 8000, sequence: 100) { rtp.send(bytes, toPort: serverRTP) }
        let bye = try #require(await phone.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        #expect(bye.firstLine == "BYE sip:tester@127.0.0.1:\(phone.port) SIP/2.0")
        #expect(Self.routes(bye).isEmpty)
        phone.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// A caller that sent its INVITE straight to us (one Via) is reached
    /// where it sent from, whatever its Contact says (NAT).
    @Test func aDirectCallerIsReachedWhereItSentFrom() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let invite = h.invite(callID: "rr3", rtpPort: rtp.port)
            .replacingOccurrences(of: "Contact: <sip:tester@127.0.0.1:\(h.client.port)>", with: "Contact: <sip:tester@10.1.2.3:5060>")
        h.client.send(invite, toPort: h.port)
        let ok = try #require(await h.client.receiveSIP(timeout: 60) { $0.status == 200 }.0)
        h.client.send(h.request("ACK", callID: "rr3", toTag: ok.toTag), toPort: h.port)
        let serverRTP = try #require(ok.audioPort)
        #expect(await rtp.receive(timeout: 90) != nil)
        for bytes in ServerHarness.keyPress(2, timestamp: 8000, sequence: 100) { rtp.send(bytes, toPort: serverRTP) }
        let bye = try #require(await h.client.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        #expect(bye.firstLine == "BYE sip:tester@10.1.2.3:5060 SIP/2.0")
        h.client.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// 12.2.2: a re-INVITE's Contact is the new remote target (the route
    /// set stays): the BYE goes there.
    @Test func aReinviteMovesTheRemoteTarget() async throws {
        let h = try await ServerHarness()
        let proxy = UDPClient(), phone = UDPClient(), moved = UDPClient(), rtp = UDPClient()
        proxy.send(Self.relayedInvite(h, callID: "rr4", proxy: proxy.port, phone: phone.port, recordRoute: [], rtpPort: rtp.port),
                   toPort: h.port)
        let ok = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 200 }.0)
        proxy.send(h.request("ACK", callID: "rr4", toTag: ok.toTag), toPort: h.port)
        let reinvite = h.request("INVITE", callID: "rr4", cseq: 2, toTag: ok.toTag, body: h.offer(rtpPort: rtp.port), type: "application/sdp")
            .replacingOccurrences(of: "Contact: <sip:tester@127.0.0.1:\(h.client.port)>", with: "Contact: <sip:tester@127.0.0.1:\(moved.port)>")
        proxy.send(reinvite, toPort: h.port)
        let ok2 = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 200 && $0.header("CSeq") == "2 INVITE" }.0)
        proxy.send(h.request("ACK", callID: "rr4", cseq: 2, toTag: ok2.toTag), toPort: h.port)
        let serverRTP = try #require(ok.audioPort)
        #expect(await rtp.receive(timeout: 90) != nil)
        for bytes in ServerHarness.keyPress(2, timestamp: 8000, sequence: 100) { rtp.send(bytes, toPort: serverRTP) }
        let bye = try #require(await moved.receiveSIP(timeout: 90) { $0.method == "BYE" }.0)
        #expect(bye.firstLine == "BYE sip:tester@127.0.0.1:\(moved.port) SIP/2.0")
        moved.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// 12.1.1: a 180 that sets up an early dialog carries Record-Route too.
    @Test func theRingingResponseCarriesRecordRoute() async throws {
        let h = try await ServerHarness { $0.ringing = true }
        let proxy = UDPClient(), phone = UDPClient(), rtp = UDPClient()
        let recordRoute = ["<sip:127.0.0.1:\(proxy.port);lr>"]
        proxy.send(Self.relayedInvite(h, callID: "rr5", proxy: proxy.port, phone: phone.port, recordRoute: recordRoute, rtpPort: rtp.port),
                   toPort: h.port)
        let ringing = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 180 }.0)
        #expect(ringing.header("Record-Route") == recordRoute[0])
        let ok = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 200 }.0)
        #expect(ok.header("Record-Route") == recordRoute[0])
        proxy.send(h.request("ACK", callID: "rr5", toTag: ok.toTag), toPort: h.port)
        h.server.endpoint.hangUpAll()
        let bye = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        proxy.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// 8.2.2.2: the same INVITE (From tag, Call-ID, CSeq) by another path
    /// (another branch) while the first is being served gets 482.
    @Test func aMergedInviteGets482() async throws {
        let h = try await ServerHarness { $0.ringing = true }
        let proxy = UDPClient(), phone = UDPClient(), rtp = UDPClient()
        proxy.send(Self.relayedInvite(h, callID: "rr6", proxy: proxy.port, phone: phone.port, recordRoute: [], rtpPort: rtp.port,
                                      branch: "z9hG4bKpath1"), toPort: h.port)
        _ = try #require(await proxy.receiveSIP(timeout: 60) { $0.status == 180 || $0.status == 200 }.0)
        proxy.send(Self.relayedInvite(h, callID: "rr6", proxy: proxy.port, phone: phone.port, recordRoute: [], rtpPort: rtp.port,
                                      branch: "z9hG4bKpath2"), toPort: h.port)
        let merged = await proxy.receiveSIP(timeout: 60) { $0.header("Via")?.contains("path2") == true && ($0.status ?? 0) >= 200 }.0
        #expect(merged?.status == 482)
        h.server.endpoint.hangUpAll()
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// 8.1.2: with an outbound proxy, the INVITE goes to it with a Route
    /// header and the callee as Request-URI; the 2xx's Record-Route (taken
    /// reversed) then carries the ACK and the BYE through it.
    @Test func anOutboundCallGoesThroughTheProxyAndStaysOnItsRecordRoute() async throws {
        let proxy = UDPClient(), callee = UDPClient(), rtp = UDPClient()
        let h = try await ServerHarness { $0.outboundProxy = SIPURI("sip:127.0.0.1:\(proxy.port);lr") }
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = h.placeCall(to: target)
        let invite = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        #expect(invite.firstLine == "INVITE \(target) SIP/2.0")
        #expect(Self.routes(invite) == ["<sip:127.0.0.1:\(proxy.port);lr>"])
        let rr = ["<sip:127.0.0.1:\(proxy.port);lr;r2=on>", "<sip:127.0.0.1:\(proxy.port);lr>"]
        var ok = OutboundCallTests.response(to: invite, "200 OK", toTag: "pb", body: h.offer(rtpPort: rtp.port))
        ok = ok.replacingOccurrences(of: "Contact:", with: rr.map { "Record-Route: \($0)\r\n" }.joined() + "Contact:")
        proxy.send(ok, toPort: h.port)
        let ack = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack.firstLine == "ACK \(target) SIP/2.0")
        #expect(Self.routes(ack) == rr.reversed())
        #expect(await call.value == "answered")
        h.server.endpoint.hangUpAll()
        let bye = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        #expect(Self.routes(bye) == rr.reversed())
        proxy.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        #expect(await callee.receive(timeout: 0.2) == nil, "nothing bypassed the proxy")
        await h.stop()
    }

    /// 8.1.2: a proxy that does not Record-Route drops out of the path: the
    /// ACK and BYE go straight to the callee's Contact.
    @Test func aProxyThatDoesNotRecordRouteDropsOut() async throws {
        let proxy = UDPClient(), callee = UDPClient(), rtp = UDPClient()
        let h = try await ServerHarness { $0.outboundProxy = SIPURI("sip:127.0.0.1:\(proxy.port);lr") }
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = h.placeCall(to: target)
        let invite = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        proxy.send(OutboundCallTests.response(to: invite, "200 OK", toTag: "pc", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        let ack = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(Self.routes(ack).isEmpty)
        #expect(await call.value == "answered")
        h.server.endpoint.hangUpAll()
        let bye = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        callee.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// 13.2.2.4: a forking proxy lets two callees answer. The first answer
    /// is the call; the second is ACKed and ended with BYE at its own
    /// Contact (and ACKed again when its 2xx is retransmitted).
    @Test func aSecondAnswerToAForkedInviteIsAckedAndEnded() async throws {
        let proxy = UDPClient(), second = UDPClient(), rtp = UDPClient()
        let h = try await ServerHarness { $0.outboundProxy = SIPURI("sip:127.0.0.1:\(proxy.port);lr") }
        let target = "sip:bob@127.0.0.1:\(proxy.port)"
        let call = h.placeCall(to: target)
        let invite = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        proxy.send(OutboundCallTests.response(to: invite, "200 OK", toTag: "first", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        #expect(await proxy.receiveSIP(timeout: 60) { $0.method == "ACK" }.0?.toTag == "first")
        #expect(await call.value == "answered")
        let late = OutboundCallTests.response(to: invite, "200 OK", toTag: "second", body: h.offer(rtpPort: rtp.port))
            .replacingOccurrences(of: "Contact: <\(target)>", with: "Contact: <sip:carol@127.0.0.1:\(second.port)>")
        proxy.send(late, toPort: h.port)
        let ack = try #require(await second.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack.toTag == "second")
        #expect(ack.header("CSeq") == invite.header("CSeq")?.replacingOccurrences(of: "INVITE", with: "ACK"))
        let bye = try #require(await second.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        #expect(bye.toTag == "second")
        #expect(bye.firstLine == "BYE sip:carol@127.0.0.1:\(second.port) SIP/2.0")
        second.send(SensitiveTransferTests.accepted(bye, status: "200 OK"), toPort: h.port)
        proxy.send(late, toPort: h.port)
        #expect(await second.receiveSIP(timeout: 60) { $0.method == "ACK" }.0?.toTag == "second", "a retransmitted 2xx is ACKed again")
        #expect(await h.server.endpoint.activeCallCount() == 1, "the first callee's call goes on")
        h.server.endpoint.hangUpAll()
        let firstBye = try #require(await proxy.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        #expect(firstBye.toTag == "first")
        proxy.send(SensitiveTransferTests.accepted(firstBye, status: "200 OK"), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }
}
