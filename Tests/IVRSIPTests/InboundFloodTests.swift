import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// Issue 14's proof of `sip.inbound.max-invites-per-second`: SIPp floods
/// `ivrc serve` from 127.0.0.1 at 200 INVITEs a second (scripts/sipp/
/// invite-flood.xml) while 127.0.0.2, also allowed, places ordinary
/// calls; the flood is held to the limit (503) and every call of the
/// second source completes.
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct InboundFloodTests {
    static let limit = 10
    static let floodInvites = 600

    @Test func floodFromOneSourceIsLimitedWhileAnotherCompletesItsCalls() async throws {
        let h = try await ServerHarness {
            $0.inbound = InboundPolicy(allow: [CIDRBlock("127.0.0.0/8")!], maxInvitesPerSecond: Self.limit)
            // RFC 3261's T1 (Timer H 32 s): on a busy machine an ACK may wait behind the flood for
            // longer than the harness's 1.28 s, and the call would be given up before it.
            $0.t1 = 500
            $0.t2 = 4000
        }
        let caller = try InboundAccessTests.secondSource()
        let folder = NSTemporaryDirectory() + "sipp-flood-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["sipp", "-sf", SIPpRun.scenarios + "invite-flood.xml", "-i", "127.0.0.1", "-p", String(SIPpRun.freePort()),
                         "-mp", String(SIPpRun.freePort()), "-cp", String(SIPpRun.freePort()), "-r", "200", "-m", String(Self.floodInvites), "-l", "400",
                         "-timeout", "90s", "-timeout_error", "-nostdin", "-trace_err", "-error_file", folder + "/errors.log",
                         "127.0.0.1:\(h.port)"]
        let started = Date()
        let flood = Task { try await runProcess("/usr/bin/env", arguments, in: folder, mergingErrors: true) }
        // The second source's calls while the flood lasts, one after another and at most 4 a second (within its
        // own limit): INVITE, 200, ACK, BYE, 200.
        var completed = 0
        var placed = 0
        var failures: [String] = []
        repeat {
            let next = started.addingTimeInterval(0.25 * Double(placed))
            if next > Date() { try await Task.sleep(for: .milliseconds(Int(next.timeIntervalSinceNow * 1000) + 1)) }
            let callID = "second-source-\(placed)"
            placed += 1
            let rtp = UDPClient()
            let invite = InboundAccessTests.invite(h, from: caller, callID: callID, rtpPort: rtp.port)
            let ok = await InboundAccessTests.exchange(caller, invite, toPort: h.port) {
                ($0.status ?? 0) >= 200 && $0.isInviteResponse && $0.header("Call-ID") == callID
            }
            guard let ok, ok.status == 200 else {
                failures.append("\(callID): INVITE answered \(ok?.firstLine ?? "nothing")")
                continue
            }
            for _ in 0..<2 { InboundAccessTests.ack(h, from: caller, callID: callID, toTag: ok.toTag) }  // one may be lost in the flood
            let byeRequest = InboundAccessTests.inDialog(h, "BYE", from: caller, callID: callID, toTag: ok.toTag, cseq: 2)
            let bye = await InboundAccessTests.exchange(caller, byeRequest, toPort: h.port) {
                $0.status != nil && $0.header("Call-ID") == callID && $0.header("CSeq") == "2 BYE"
            }
            if bye?.status == 200 { completed += 1 } else { failures.append("\(callID): BYE answered \(bye?.firstLine ?? "nothing")") }
        } while placed < 5 || (Date().timeIntervalSince(started) < 2.8 && placed < 20)
        let run = try await flood.value
        let seconds = Date().timeIntervalSince(started)
        let errors = (try? String(contentsOfFile: folder + "/errors.log", encoding: .utf8)) ?? ""
        #expect(run.status == 0, "sipp: exit \(run.status)\n\(run.stdout.suffix(1500))\n\(errors.suffix(1500))")
        let stats = try await InboundAccessTests.stats(h)
        let limited = stats.invitesRateLimited
        let passed = stats.callsRejected  // the flood's admitted INVITEs got 404 (no flow for 999)
        // Admitted: at most one second's burst plus the rate for the run's length (and SIPp's retransmissions).
        #expect(passed <= Self.limit * (Int(seconds) + 2), "\(passed) flood INVITEs passed in \(seconds) s")
        #expect(passed >= Self.limit, "the limit lets the allowed rate through")
        #expect(limited >= Self.floodInvites - passed, "every other flood INVITE got 503")
        #expect(completed == placed, "the second source completed \(completed) of \(placed) calls: \(failures)")
        #expect(await h.waitForNoCalls())
        let line = String(format: "flood: %d INVITEs at 200/s from 127.0.0.1 over %.1f s: %d answered 503 (%.0f/s), %d let through (%.1f/s, limit %d/s); 127.0.0.2 completed %d of %d calls",
                          Self.floodInvites, seconds, limited, Double(limited) / seconds, passed, Double(passed) / seconds, Self.limit, completed, placed)
        print(line)
        try? line.write(toFile: NSTemporaryDirectory() + "ivrc-inbound-flood.txt", atomically: true, encoding: .utf8)
        await h.stop()
    }
}
