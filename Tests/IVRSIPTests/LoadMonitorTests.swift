import Foundation
import IVRTestSupport
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import IVRSIP

/// Load shedding: `LoadMonitor` says a node is full once an event loop
/// runs late by more than its threshold (smoothed), and not full again
/// until every loop is back under half of it; while full, the endpoint
/// answers new INVITEs and OPTIONS with 503 and `Retry-After: 5`.
@Suite(.timeLimit(.minutes(2))) struct LoadMonitorTests {
    /// Polls `condition` every 5 ms for up to 20 s.
    static func until(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<4000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    @Test func theVerdictHasHysteresis() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let monitor = LoadMonitor(group: group, threshold: .milliseconds(100), probing: false)
        let threshold = monitor.threshold
        // 16 probes each 2x the threshold late: the average passes it.
        for _ in 0..<16 { monitor.record(0, late: 2 * threshold) }
        #expect(monitor.isOverloaded && monitor.overloadEpisodes == 1)
        // Back between half and the whole threshold: still overloaded.
        while monitor.worstLagMilliseconds * 1e6 > Double(threshold) * 0.6 { monitor.record(0, late: 0) }
        #expect(monitor.isOverloaded)
        // Under half: not any more; then over again: a second episode.
        while monitor.worstLagMilliseconds * 1e6 >= Double(threshold) / 2 { monitor.record(0, late: 0) }
        monitor.record(0, late: 0)
        #expect(!monitor.isOverloaded)
        for _ in 0..<40 { monitor.record(0, late: 4 * threshold) }
        #expect(monitor.isOverloaded && monitor.overloadEpisodes == 2)
    }

    @Test func aBlockedLoopOverloadsTheNodeUntilItCatchesUp() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let monitor = LoadMonitor(group: group, threshold: .milliseconds(50))
        #expect(!monitor.isOverloaded)
        // One loop busy for 1.6 s: its next probe runs 1.6 s late (100 ms of smoothed lag).
        group.any().execute { usleep(1_600_000) }
        #expect(await Self.until { monitor.overloadEpisodes == 1 }, "lag \(monitor.worstLagMilliseconds) ms")
        #expect(await Self.until { !monitor.isOverloaded }, "it recovers: lag \(monitor.worstLagMilliseconds) ms")
        #expect(monitor.overloadEpisodes == 1)
        monitor.stop()
        try await group.shutdownGracefully()
    }

    @Test func anOverloadedEndpointRefusesNewCallsAndProbesWith503() async throws {
        let h = try await ServerHarness()
        #expect(await h.ask(h.request("OPTIONS", callID: "probe-1"))?.status == 200)
        // A threshold of 1 ns: every probe runs later than that, so the node is full from the first probe on.
        let full = LoadMonitor(group: h.server.endpoint.eventLoop, threshold: .nanoseconds(1))
        defer { full.stop() }
        let endpoint = h.server.endpoint
        try await endpoint.eventLoop.submit { endpoint.load = full }.get()
        #expect(await Self.until { full.isOverloaded })
        let probe = await h.ask(h.request("OPTIONS", callID: "probe-2"))
        #expect(probe?.status == 503, "\(probe?.text ?? "no answer")")
        #expect(probe?.header("Retry-After") == "5")
        h.client.send(h.invite(callID: "shed", rtpPort: 9), toPort: h.port)
        let refused = await h.client.receiveSIP { $0.isInviteResponse && $0.header("Call-ID") == "shed" && ($0.status ?? 0) >= 300 }.0
        #expect(refused?.status == 503, "\(refused?.text ?? "no answer")")
        #expect(refused?.header("Retry-After") == "5")
        #expect(refused?.header("Warning")?.contains("overloaded") == true)
        let shed = try await endpoint.eventLoop.submit { endpoint.stats.callsShed }.get()
        #expect(shed == 1)
        await h.stop()
    }

    /// The second signal: the worst media clock's late share. Over the limit
    /// the node is full (the log says why), between half and the whole
    /// limit it stays so, under half (or not judged: too few calls) it
    /// takes calls again.
    @Test func aLateShareOverItsLimitFillsTheNodeWithHysteresis() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let share = Mutex(-1)
        let monitor = LoadMonitor(group: group, threshold: .zero, lateLimit: 50, mediaLate: { share.withLock { $0 } }, probing: false)
        monitor.record(0, late: 0)
        #expect(!monitor.isOverloaded, "not judged: not full")
        share.withLock { $0 = 50 }
        monitor.record(0, late: 0)
        #expect(!monitor.isOverloaded, "at the limit: not over it")
        share.withLock { $0 = 83 }
        monitor.record(0, late: 0)
        #expect(monitor.isOverloaded && monitor.overloadEpisodes == 1)
        #expect(monitor.reason == "8.3% of the RTP packets of an event loop went out more than 5 ms late (over 5%)", "\(monitor.reason)")
        share.withLock { $0 = 25 }
        monitor.record(0, late: 0)
        #expect(monitor.isOverloaded, "half the limit: still full")
        share.withLock { $0 = 24 }
        monitor.record(0, late: 0)
        #expect(!monitor.isOverloaded)
        share.withLock { $0 = 400 }
        monitor.record(0, late: 0)
        share.withLock { $0 = -1 }
        monitor.record(0, late: 0)
        #expect(!monitor.isOverloaded && monitor.overloadEpisodes == 2, "too few calls to judge: not full")
        // The lag signal alone still works beside it, and says so.
        let both = LoadMonitor(group: group, threshold: .milliseconds(10), lateLimit: 50, mediaLate: { -1 }, probing: false)
        for _ in 0..<40 { both.record(0, late: 100_000_000) }
        #expect(both.isOverloaded)
        #expect(both.reason.hasPrefix("an event loop runs ") && both.reason.hasSuffix(" ms late (over 10 ms)"), "\(both.reason)")
    }

    /// The window behind `MediaClock.latePermille`: judged only with 100
    /// calls or more through the whole half second; skipped frames count.
    @Test func theLateShareWindow() {
        let t0 = NIODeadline.now()
        var w = LateShareWindow(start: t0)
        #expect(w.add(sent: 5_000, late: 100, sessions: 100, now: t0 + .milliseconds(200)) == nil)
        #expect(w.add(sent: 5_000, late: 200, sessions: 120, now: t0 + .milliseconds(500)) == 30)
        // A window in which the loop carried 99 calls at some point is not judged.
        #expect(w.add(sent: 5_000, late: 5_000, sessions: 99, now: t0 + .milliseconds(700)) == nil)
        #expect(w.add(sent: 5_000, late: 5_000, sessions: 150, now: t0 + .milliseconds(1_000)) == -1)
        // Nothing due: not judged either.
        #expect(w.add(sent: 0, late: 0, sessions: 150, now: t0 + .milliseconds(1_500)) == -1)
        #expect(w.add(sent: 1_000, late: 1_000, sessions: 150, now: t0 + .milliseconds(2_000)) == 1_000)
    }
}
