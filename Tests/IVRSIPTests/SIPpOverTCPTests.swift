import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// SIPp (Debian sip-tester) calls the server over TCP (`-t t1`: every
/// call on one connection, so requests of 200 calls are pipelined on
/// it): 200 calls started within a second (slower on a busy machine),
/// each held 15 s, so all are up at once. SIPp exits 0 only when no call
/// failed. The flow waits a minute for a key: SIPp always hangs up first.
@Suite(.serialized, .dedicatedExecutor,
       .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
       .timeLimit(.minutes(3)))
struct SIPpOverTCPTests {
    /// The harness's flow, with a menu that waits a minute for its key.
    static let flow = ServerHarness.flow.replacingOccurrences(of: "timeout: 5s", with: "timeout: 60s")

    @Test func twoHundredConcurrentCallsOverTCP() async throws {
        let calls = 200
        // T1 500 ms (timer H 32 s): a busy machine's late ACK does not end a call.
        let h = try await StreamTransportTests.harness(maxCalls: calls + 50, flow: Self.flow, t1: 500)
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let sipp = SIPpRun(scenario: "caller-of-serve.xml", remotePort: port, timeout: 90, calls: calls,
                           extra: ["-t", "t1", "-l", String(calls), "-r", String(calls), "-rp", "1000", "-d", "15000",
                                   "-max_socket", "4096"])
        defer { sipp.cleanUp() }
        // The most calls the server had at once while SIPp ran.
        let endpoint = h.server.endpoint
        let watcher = Task { () -> Int in
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, await endpoint.activeCallCount())
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        }
        let run = try await sipp.result()
        watcher.cancel()
        let peak = await watcher.value
        let summary = run.stdout.split(whereSeparator: \.isNewline).filter { $0.contains("Successful call") || $0.contains("Failed call") }
        #expect(run.status == 0, "\(sipp.report(run))")
        #expect(sipp.receivedResponses(200) == 2 * calls, "one 200 per INVITE and per BYE, none retransmitted over TCP")
        #expect(peak >= calls * 9 / 10,
                "at most \(peak) calls at once; \(summary.joined(separator: "; "))")
        #expect(await h.waitForNoCalls())
        #expect(await h.waitForRecords(calls) == calls)
        let stats = try await StreamTransportTests.stats(h)
        #expect(stats.connectionsAccepted == 1 && stats.connectionErrors == 0, "\(stats)")
        print("SIPp over TCP: \(calls) calls, peak \(peak) at once; \(summary.joined(separator: "; "))")
        await h.stop()
    }
}
