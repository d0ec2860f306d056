import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The endpoint's client transactions on the wire, against a scripted
/// callee on loopback (the state machine itself: ClientTransactionStateTests).
@Suite(.serialized, .dedicatedExecutor) struct ClientTransactionTests {
    typealias Callee = OutboundCallTests

    /// A call to `callee` that rings (180 with `toTag`) and is hung up here:
    /// the call's task, the INVITE and the CANCEL that follows.
    static func ringThenHangUp(_ h: ServerHarness, _ callee: UDPClient,
                               toTag: String) async throws -> (Task<String, Never>, SIPMessageView, SIPMessageView) {
        let call = h.placeCall(to: "sip:bob@127.0.0.1:\(callee.port)")
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        callee.send(Callee.response(to: invite, "180 Ringing", toTag: toTag), toPort: h.port)
        h.server.endpoint.hangUpAll()
        let cancel = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "CANCEL" }.0)
        return (call, invite, cancel)
    }

    /// RFC 3261 17.1.1.2: the completed INVITE transaction ACKs each
    /// retransmission of the failure (Timer D), with the INVITE's branch.
    @Test func aRetransmitted487IsAckedAgain() async throws {
        let h = try await ServerHarness()
        let callee = UDPClient()
        let (call, invite, cancel) = try await Self.ringThenHangUp(h, callee, toTag: "d1")
        callee.send(Callee.response(to: cancel, "200 OK", toTag: "d1"), toPort: h.port)
        let terminated = Callee.response(to: invite, "487 Request Terminated", toTag: "d1")
        callee.send(terminated, toPort: h.port)
        let ack = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack.header("Via") == invite.header("Via"), "the INVITE's branch")
        #expect(ack.header("To") == "<sip:bob@127.0.0.1:\(callee.port)>;tag=d1")
        #expect(ack.header("CSeq") == "1 ACK")
        #expect(await call.value.contains("487"))
        callee.send(terminated, toPort: h.port)  // the ACK was "lost": the callee sends the 487 again
        let again = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0, "a retransmitted 487 is ACKed again")
        #expect(again.text == ack.text)
        await h.stop()
    }

    /// RFC 3261 17.1.2.2: after a provisional, a non-INVITE request (here
    /// BYE) is retransmitted every T2, until Timer F.
    @Test func aByeAfterAProvisionalIsRetransmittedEveryT2() async throws {
        let h = try await ServerHarness { config in
            config.t1 = 100
            config.t2 = 2000
        }
        let callee = UDPClient()
        let rtp = UDPClient()
        let call = h.placeCall(to: "sip:bob@127.0.0.1:\(callee.port)")
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        callee.send(Callee.response(to: invite, "200 OK", toTag: "e1", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0 != nil)
        #expect(await call.value == "answered")
        h.server.endpoint.hangUpAll()
        let bye = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        callee.send(Callee.response(to: bye, "100 Trying", toTag: nil), toPort: h.port)
        // Sent at 0, T1 (maybe 3*T1, if the 100 is slow to arrive), then
        // every T2 = 2 s until Timer F (6.4 s). Without the T2 rule: 0.1,
        // 0.3, 0.7, 1.5, 3.1, 5.1 s.
        var stamps: [Int64] = []
        while stamps.count < 3, let (bytes, stamp) = await callee.receiveStamped(timeout: 10) {
            if SIPMessageView(text: String(decoding: bytes, as: UTF8.self)).method == "BYE" { stamps.append(stamp) }
        }
        try #require(stamps.count == 3, "BYE retransmissions after the 100")
        let gap = (stamps[2] - stamps[1]) / 1_000_000
        #expect(gap >= 1800, "after the 100, every T2 (2000 ms): \(gap) ms")
        callee.send(Callee.response(to: bye, "200 OK", toTag: nil), toPort: h.port)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// RFC 3261 9.1: no CANCEL before a provisional response. Hanging up a
    /// call nobody has answered yet keeps the INVITE going; the CANCEL
    /// follows the 180.
    @Test func cancelWaitsForAProvisional() async throws {
        let h = try await ServerHarness { $0.t1 = 100 }  // Timer B: 6.4 s
        let callee = UDPClient()
        let call = h.placeCall(to: "sip:bob@127.0.0.1:\(callee.port)")
        let invite = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        h.server.endpoint.hangUpAll()
        _ = await h.server.endpoint.activeCallCount()  // runs after the hang-up on the event loop
        var seen: [SIPMessageView] = []
        for _ in 0..<2 {  // two INVITE retransmissions (at 100 and 300 ms) and nothing else
            let (retransmitted, before) = await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }
            #expect(retransmitted != nil)
            seen += before
        }
        #expect(!seen.contains { $0.method == "CANCEL" }, "a CANCEL before any provisional response")
        callee.send(Callee.response(to: invite, "180 Ringing", toTag: "f1"), toPort: h.port)
        let cancel = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "CANCEL" }.0)
        callee.send(Callee.response(to: cancel, "200 OK", toTag: "f1"), toPort: h.port)
        callee.send(Callee.response(to: invite, "487 Request Terminated", toTag: "f1"), toPort: h.port)
        #expect(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0 != nil)
        #expect(await call.value.contains("487"))
        await h.stop()
    }

    /// A second hang-up while the INVITE has still not rung gives it up at
    /// once (the first only waits for a provisional to CANCEL): no more
    /// retransmissions, and the call fails saying so, long before Timer B.
    @Test func aSecondHangUpGivesUpAnInviteThatNeverRang() async throws {
        let h = try await ServerHarness { $0.t1 = 500; $0.t2 = 4000 }  // Timer B: 32 s
        let callee = UDPClient()
        let target = "sip:bob@127.0.0.1:\(callee.port)"
        let call = h.placeCall(to: target)
        let endpoint = h.server.endpoint
        _ = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "INVITE" }.0)
        endpoint.hangUpAll()
        endpoint.hangUpAll()
        let outcome = await call.value
        #expect(outcome.contains("given up before it rang"), "\(outcome)")
        #expect(await h.waitForNoCalls())
        let pending = try await endpoint.eventLoop.submit { endpoint.transactions.count }.get()
        #expect(pending == 0, "nothing left to retransmit")
        await h.stop()
    }

    /// RFC 3261 9.1: a 200 that crosses our CANCEL is ACKed and the call
    /// ended with BYE; the flow does not run.
    @Test func a200CrossingTheCancelIsAckedThenHungUp() async throws {
        let h = try await ServerHarness { $0.ringTimeout = 600_000 }
        let callee = UDPClient()
        let rtp = UDPClient()
        let (call, invite, cancel) = try await Self.ringThenHangUp(h, callee, toTag: "g1")
        callee.send(Callee.response(to: invite, "200 OK", toTag: "g1", body: h.offer(rtpPort: rtp.port)), toPort: h.port)
        callee.send(Callee.response(to: cancel, "200 OK", toTag: "g1"), toPort: h.port)
        let ack = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "ACK" }.0)
        #expect(ack.header("Via") != invite.header("Via"), "the 2xx's ACK is a new transaction")
        let bye = try #require(await callee.receiveSIP(timeout: 60) { $0.method == "BYE" }.0)
        callee.send(Callee.response(to: bye, "200 OK", toTag: nil), toPort: h.port)
        let outcome = await call.value
        #expect(outcome.contains("answered after CANCEL; sent BYE"), "\(outcome)")
        #expect(await h.waitForNoCalls())
        await h.stop()
    }
}
