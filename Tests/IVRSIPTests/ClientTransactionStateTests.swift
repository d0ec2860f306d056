import IVRTestSupport
import Testing
@testable import IVRSIP

/// The RFC 3261 17.1 client transaction state machines, driven by an
/// injected clock (milliseconds): what each timer and each response does.
@Suite(.dedicatedExecutor) struct ClientTransactionStateTests {
    typealias Machine = ClientTransactionState

    /// Runs the timers from `from` up to `until` (inclusive), returning when
    /// each action happened.
    static func run(_ m: inout Machine, from: Int, until: Int) -> [(Int, Machine.Action)] {
        var log: [(Int, Machine.Action)] = []
        var now = from
        while let next = m.nextDeadline, next <= until {
            now = max(now, next)
            for action in m.fire(now: now) { log.append((now, action)) }
        }
        return log
    }

    @Test func inviteCallingRetransmitsUncappedThenTimerBTimesOut() {
        var m = Machine(kind: .invite, start: 1000)
        #expect(m.state == .calling)
        let log = Self.run(&m, from: 1000, until: 100_000)
        #expect(log.filter { $0.1 == .retransmit }.map { $0.0 - 1000 } == [500, 1500, 3500, 7500, 15500, 31500])
        #expect(log.last.map { $0.0 - 1000 } == 32_000 && log.last?.1 == .timeout, "Timer B = 64*T1")
        #expect(m.state == .terminated)
        #expect(m.nextDeadline == nil)
    }

    @Test func aProvisionalStopsInviteRetransmissionAndTimerB() {
        var m = Machine(kind: .invite, start: 0)
        _ = Self.run(&m, from: 0, until: 600)
        #expect(m.sends == 2)
        #expect(m.receive(status: 180, now: 700) == [.deliver])
        #expect(m.state == .proceeding)
        #expect(m.nextDeadline == nil, "no Timer A, no Timer B: it waits for a final response")
        #expect(Self.run(&m, from: 700, until: 10_000_000).isEmpty)
        #expect(m.receive(status: 183, now: 40_000) == [.deliver], "each provisional is passed up")
        #expect(m.sends == 2)
    }

    @Test func aFailureIsAckedAndItsRetransmissionsAckedAgainUntilTimerD() {
        var m = Machine(kind: .invite, start: 0)
        #expect(m.receive(status: 180, now: 100) == [.deliver])
        #expect(m.receive(status: 487, now: 5000) == [.ack, .deliver])
        #expect(m.state == .completed)
        #expect(m.receive(status: 487, now: 5500) == [.ack], "a retransmitted 487: ACK again, not passed up")
        #expect(m.receive(status: 180, now: 5600) == [])
        #expect(m.nextDeadline == 5000 + 32_000, "Timer D: 32 s over UDP")
        #expect(Self.run(&m, from: 5600, until: 100_000).isEmpty)
        #expect(m.state == .terminated)
        #expect(m.receive(status: 487, now: 40_000) == [], "after Timer D the transaction is gone")
    }

    @Test func aFailureWhileCallingIsAckedToo() {
        var m = Machine(kind: .invite, start: 0)
        #expect(m.receive(status: 486, now: 50) == [.ack, .deliver])
        #expect(m.retransmitAt == nil && m.timeoutAt == nil)
    }

    @Test func a2xxEndsTheInviteTransaction() {
        var m = Machine(kind: .invite, start: 0)
        #expect(m.receive(status: 100, now: 10) == [.deliver])
        #expect(m.receive(status: 200, now: 20) == [.deliver])
        #expect(m.state == .terminated, "the 2xx's ACK and its retransmissions belong to the dialog (13.2.2.4)")
        #expect(m.receive(status: 200, now: 30) == [])
    }

    @Test func nonInviteRetransmitsCappedAtT2ThenTimerF() {
        var m = Machine(kind: .nonInvite, start: 0)
        #expect(m.state == .trying)
        let log = Self.run(&m, from: 0, until: 100_000)
        #expect(log.filter { $0.1 == .retransmit }.map(\.0) == [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500])
        #expect(log.last?.0 == 32_000 && log.last?.1 == .timeout, "Timer F = 64*T1")
        #expect(m.state == .terminated)
    }

    @Test func nonInviteProceedingRetransmitsAtT2AndKeepsTimerF() {
        var m = Machine(kind: .nonInvite, start: 0)
        _ = Self.run(&m, from: 0, until: 600)  // one retransmission at 500, next at 1500
        #expect(m.receive(status: 100, now: 700) == [.deliver])
        #expect(m.state == .proceeding)
        let log = Self.run(&m, from: 700, until: 100_000)
        let sends = log.filter { $0.1 == .retransmit }.map(\.0)
        #expect(sends.first == 1500, "the pending Timer E still fires")
        #expect(zip(sends, sends.dropFirst()).allSatisfy { $1 - $0 == 4000 }, "then every T2: \(sends)")
        #expect(log.last?.0 == 32_000 && log.last?.1 == .timeout)
    }

    @Test func nonInviteFinalCompletesAbsorbsRetransmissionsUntilTimerK() {
        var m = Machine(kind: .nonInvite, start: 0)
        #expect(m.receive(status: 200, now: 300) == [.deliver])
        #expect(m.state == .completed)
        #expect(m.receive(status: 200, now: 400) == [], "a retransmitted response is absorbed")
        #expect(m.nextDeadline == 300 + 5000, "Timer K = T4")
        #expect(Self.run(&m, from: 400, until: 100_000).isEmpty)
        #expect(m.state == .terminated)
    }

    @Test func shortTimersScale() {
        var m = Machine(kind: .nonInvite, start: 0, t1: 20, t2: 160, t4: 100, timerD: 200)
        let log = Self.run(&m, from: 0, until: 10_000)
        #expect(log.filter { $0.1 == .retransmit }.map(\.0).prefix(5) == [20, 60, 140, 300, 460])
        #expect(log.last?.0 == 1280)
    }

    @Test func abandonEndsAProceedingInvite() {
        var m = Machine(kind: .invite, start: 0)
        _ = m.receive(status: 180, now: 10)
        m.abandon()
        #expect(m.state == .terminated)
        #expect(m.receive(status: 487, now: 20) == [])
    }

    /// RFC 3261 17.1.1.3: the ACK a failure gets from the INVITE's transaction.
    @Test func ackOfAFailureCopiesTheInvite() throws {
        let invite = try SIPParser.parse(Array("""
            INVITE sip:bob@192.0.2.4:5062 SIP/2.0\r
            Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKinv1;rport\r
            Max-Forwards: 70\r
            Route: <sip:proxy.example;lr>\r
            From: <sip:ivrc@192.0.2.1:5070>;tag=ours\r
            To: <sip:bob@192.0.2.4:5062>\r
            Call-ID: call-1@192.0.2.1\r
            CSeq: 7 INVITE\r
            Contact: <sip:ivrc@192.0.2.1:5070>\r
            Content-Length: 0\r
            \r

            """.utf8))
        let response = try SIPParser.parse(Array("""
            SIP/2.0 487 Request Terminated\r
            Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKinv1;rport=5070\r
            From: <sip:ivrc@192.0.2.1:5070>;tag=ours\r
            To: <sip:bob@192.0.2.4:5062>;tag=theirs\r
            Call-ID: call-1@192.0.2.1\r
            CSeq: 7 INVITE\r
            Content-Length: 0\r
            \r

            """.utf8))
        let ack = ClientTransaction.ack(for: invite, response: response)
        #expect(ack.method == "ACK")
        #expect(ack.requestURI == "sip:bob@192.0.2.4:5062")
        #expect(ack.headers.rawValues("Via") == ["SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKinv1;rport"], "the INVITE's Via, not the response's")
        #expect(ack.headers["To"] == "<sip:bob@192.0.2.4:5062>;tag=theirs")
        #expect(ack.headers["From"] == "<sip:ivrc@192.0.2.1:5070>;tag=ours")
        #expect(ack.callID == "call-1@192.0.2.1")
        #expect(ack.headers["CSeq"] == "7 ACK")
        #expect(ack.headers.rawValues("Route") == ["<sip:proxy.example;lr>"])
        #expect(ack.body.isEmpty)
    }
}
