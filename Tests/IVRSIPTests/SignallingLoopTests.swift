import Foundation
import NIOCore
import Synchronization
import Testing
@testable import IVRSIP

/// Signalling on an event loop of its own (`SIPConfiguration.ownSignallingLoop`,
/// the default of `IVRServer.start(configuration:)`): SIP is answered while
/// every media loop is busy, and `LoadMonitor` probes the signalling loop
/// as well as the media loops. With the shared loop (the benchmark's
/// baseline, `serve --shared-signalling-loop`) a busy media loop holds SIP back.
@Suite(.timeLimit(.minutes(2))) struct SignallingLoopTests {
    /// Set once by the test; read by the loops it occupies.
    final class Release: Sendable {
        private let flag = Atomic(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set() { flag.store(true, ordering: .relaxed) }
    }

    /// Counts the loops that began to wait.
    final class Started: Sendable {
        private let count = Atomic(0)
        var value: Int { count.load(ordering: .relaxed) }
        func add() { count.add(1, ordering: .relaxed) }
    }

    /// Occupies every loop of `group` until `release` is set (at most 30 s);
    /// returns once all of them are occupied.
    static func occupy(_ group: EventLoopGroup, until release: Release) async -> Bool {
        let loops = Array(group.makeIterator())
        let started = Started()
        for loop in loops {
            loop.execute {
                started.add()
                let end = Date().addingTimeInterval(30)
                while !release.isSet, Date() < end { usleep(1_000) }
            }
        }
        for _ in 0..<4000 where started.value < loops.count {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return started.value == loops.count
    }

    @Test func sipIsAnsweredWhileEveryMediaLoopIsBusy() async throws {
        let h = try await ServerHarness()
        let endpoint = h.server.endpoint
        #expect(!h.server.eventLoopGroup.makeIterator().contains { $0 === endpoint.eventLoop })
        let release = Release()
        #expect(await Self.occupy(h.server.eventLoopGroup, until: release))
        let answer = await h.ask(h.request("OPTIONS", callID: "while-media-is-busy"))
        let stillBusy = !release.isSet
        release.set()
        #expect(answer?.status == 200, "\(answer?.text ?? "no answer")")
        #expect(stillBusy)
        await h.stop()
    }

    @Test func aSharedLoopHoldsSIPBehindMedia() async throws {
        let h = try await ServerHarness(configure: { $0.ownSignallingLoop = false })
        let endpoint = h.server.endpoint
        #expect(h.server.eventLoopGroup.makeIterator().contains { $0 === endpoint.eventLoop })
        let release = Release()
        #expect(await Self.occupy(h.server.eventLoopGroup, until: release))
        h.client.send(h.request("OPTIONS", callID: "behind-media"), toPort: h.port)
        let early = await h.client.receiveSIP(timeout: 2, until: { $0.header("Call-ID") == "behind-media" }).0
        release.set()
        #expect(early == nil, "answered while its loop was busy: \(early?.text ?? "")")
        let late = await h.client.receiveSIP(timeout: 20, until: { $0.header("Call-ID") == "behind-media" }).0
        #expect(late?.status == 200, "answered once the loop is free")
        await h.stop()
    }

    @Test func theLoadMonitorProbesTheSignallingLoop() async throws {
        let h = try await ServerHarness(configure: { $0.overloadLag = 50 })
        let endpoint = h.server.endpoint
        let load = try #require(try await endpoint.eventLoop.submit { endpoint.load }.get())
        // The signalling loop busy for 1.6 s: its next probe runs 1.6 s late (100 ms of smoothed lag).
        endpoint.eventLoop.execute { usleep(1_600_000) }
        var seen = false
        for _ in 0..<4000 where !seen {
            seen = load.overloadEpisodes >= 1
            if !seen { try? await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(seen, "lag \(load.worstLagMilliseconds) ms")
        await h.stop()
    }
}
