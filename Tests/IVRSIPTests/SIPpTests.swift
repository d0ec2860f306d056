import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// SIPp (Debian sip-tester) against ivrc on loopback, with the scenarios
/// of scripts/sipp/: as the callee of `ivrc call`'s user agent client (the
/// client transactions of RFC 3261 17.1) and as a caller of `ivrc serve`.
/// Each scenario passes only when SIPp exits 0; the message log SIPp
/// writes is checked for what a scenario cannot express (no INVITE
/// retransmitted after the 180).
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct SIPpTests {
    /// T1 = 1 s (Timer A's first retransmission well after SIPp's 180 is
    /// back), rings for 3 s: without the fix the INVITE goes out again at
    /// 1 s and 3 s, after the 180.
    static func callerHarness(credentials: [DigestCredential] = []) async throws -> ServerHarness {
        try await ServerHarness { config in
            config.t1 = 1000
            config.t2 = 4000
            config.ringTimeout = 3000
            config.credentials = credentials
        }
    }

    /// SIPp runs `scenario` as the callee of a call the endpoint places;
    /// both ends are awaited: SIPp's run and the call's outcome.
    static func call(scenario: String, credentials: [DigestCredential] = []) async throws -> (ServerHarness, SIPpRun, ProcessRun, String) {
        let h = try await callerHarness(credentials: credentials)
        let sipp = SIPpRun(scenario: scenario)
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let call = h.placeCall(to: "sip:callee@127.0.0.1:\(sipp.port)")
        let run = try await sipp.result()
        return (h, sipp, run, await call.value)
    }

    /// RFC 3261 17.1.1.2 and 17.1.1.3: after the 180 the INVITE is not sent
    /// again; at the ring timeout ivrc CANCELs; the 487 is ACKed.
    @Test func ringingStopsInviteRetransmissionAndThe487IsAcked() async throws {
        let (h, sipp, run, outcome) = try await Self.call(scenario: "callee-rings-then-cancelled.xml")
        defer { sipp.cleanUp() }
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("INVITE") == 1, "the INVITE was retransmitted after the 180:\n\(sipp.report(run))")
        #expect(sipp.received("CANCEL") == 1)
        #expect(sipp.received("ACK") >= 1, "the 487 is ACKed")
        #expect(outcome.contains("it rang for 3.0 s; sent CANCEL"), "\(outcome)")
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// RFC 3261 17.1.1.3: a 486 is ACKed, and the call reports busy.
    @Test func busyIsAckedAndReported() async throws {
        let (h, sipp, run, outcome) = try await Self.call(scenario: "callee-busy.xml")
        defer { sipp.cleanUp() }
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("ACK") >= 1, "the 486 is ACKed")
        #expect(outcome == "the call was refused: 486 Busy Here")
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// RFC 3261 22.2: SIPp challenges the INVITE with 401 (qop=auth,
    /// opaque) and checks the answer with its own digest code (a wrong
    /// password fails this test: SIPp answers 403 and exits 1).
    @Test func aChallengedInviteIsAnsweredAsSIPpChecksIt() async throws {
        let (h, sipp, run, outcome) = try await Self.call(scenario: "callee-challenges.xml", credentials: Self.acme)
        defer { sipp.cleanUp() }
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("INVITE") == 2, "one retry, no loop:\n\(sipp.report(run))")
        #expect(outcome == "the call was refused: 486 Busy Here", "\(outcome)")
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// RFC 7616 3.3: `stale=true` is answered once more, with the new nonce.
    @Test func aStaleNonceIsAnsweredAgainAsSIPpChecksIt() async throws {
        let (h, sipp, run, outcome) = try await Self.call(scenario: "callee-challenges-stale.xml", credentials: Self.acme)
        defer { sipp.cleanUp() }
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("INVITE") == 3, "\(sipp.report(run))")
        #expect(outcome == "the call was refused: 486 Busy Here", "\(outcome)")
        await h.stop()
    }

    /// A challenge ivrc cannot answer (an unknown algorithm, no nonce):
    /// the 401 is ACKed, no INVITE follows, the call fails saying why.
    @Test(arguments: [
        ("Digest realm=\"sipp.test\", nonce=\"n1\", qop=\"auth\", algorithm=SHA-512-256", "SHA-512-256"),
        ("Digest realm=\"sipp.test\", qop=\"auth\"", "the challenge has no nonce"),
    ])
    func anUnanswerableChallengeEndsTheCallClearly(challenge: String, reason: String) async throws {
        let h = try await Self.callerHarness(credentials: Self.acme)
        let sipp = SIPpRun(scenario: "callee-challenges-unanswerable.xml", extra: ["-key", "challenge", challenge])
        defer { sipp.cleanUp() }
        #expect(await sipp.listening(), "SIPp did not bind its port")
        let call = h.placeCall(to: "sip:callee@127.0.0.1:\(sipp.port)")
        let run = try await sipp.result()
        let outcome = await call.value
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.received("INVITE") == 1)
        #expect(outcome.hasPrefix("auth failed: 401 Unauthorized from ") && outcome.contains(reason), "\(outcome)")
        await h.stop()
    }

    static let acme = [DigestCredential(realm: "sipp.test", user: "acme", password: "s3cret-Pa55")]

    /// SIPp calls `ivrc serve`: INVITE, 200, (a late ACK: the 200 is
    /// retransmitted meanwhile), ACK, BYE, 200.
    @Test func sippCallsServe() async throws {
        let h = try await ServerHarness()  // T1 = 20 ms: the 200 goes out again every 20, 40, 80... ms
        let sipp = SIPpRun(scenario: "caller-of-serve.xml", remotePort: h.port, extra: ["-d", "1000"])
        defer { sipp.cleanUp() }
        let run = try await sipp.result()
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.receivedResponses(200) >= 3, "the 200 to the INVITE retransmitted until the ACK, then the BYE's 200")
        #expect(await h.waitForNoCalls())
        let callID = try #require(sipp.firstHeader("Call-ID"))
        let record = try #require(await h.record(callID), "the call has its record")
        #expect(record.outcome == "caller-hangup", "SIPp hung up")
        await h.stop()
    }
}
