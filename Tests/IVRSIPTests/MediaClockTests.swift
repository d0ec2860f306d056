import Foundation
import IVRTestSupport
import NIOCore
import Testing
@testable import IVRSIP

/// The per-loop 20 ms clock: several sessions on one loop, and a stalled loop.
@Suite(.serialized, .dedicatedExecutor) struct MediaClockTests {
    func open(_ h: ServerHarness, to client: UDPClient, clocks: MediaClocks) async throws -> MediaSession {
        let agreement = SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101, remoteAddress: "127.0.0.1",
                                                remotePort: client.port, direction: .sendrecv)
        // One loop, so every session shares one clock.
        let loop = h.server.endpoint.eventLoop
        return try await MediaSession.open(host: "127.0.0.1", ports: h.server.endpoint.ports, group: loop, clocks: clocks,
                                           agreement: agreement)
    }

    @Test func sessionsOnOneLoopShareOneClock() async throws {
        let h = try await ServerHarness()
        let clocks = MediaClocks()
        let clients = (0..<5).map { _ in UDPClient() }
        var sessions: [MediaSession] = []
        for c in clients { sessions.append(try await open(h, to: c, clocks: clocks)) }
        let clock = clocks.clock(for: h.server.endpoint.eventLoop)
        #expect(try await clock.eventLoop.submit { clock.sessions }.get() == 5)
        for c in clients {
            var packets: [RTPPacket] = []
            while packets.count < 10, let bytes = await c.receive(timeout: 30), let p = try? RTPPacket.decode(bytes) { packets.append(p) }
            #expect(packets.count == 10)
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        }
        for s in sessions { s.close() }
        var left = -1
        for _ in 0..<100 where left != 0 {
            left = try await clock.eventLoop.submit { clock.timer == nil ? clock.sessions : -1 }.get()
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(left == 0, "the clock stops with its last session")
        await h.stop()
    }

    @Test func aStalledLoopSkipsInsteadOfBursting() async throws {
        let h = try await ServerHarness()
        let client = UDPClient()
        let clocks = MediaClocks()
        let session = try await open(h, to: client, clocks: clocks)
        _ = await client.receive(timeout: 30)
        // Block the loop for 300 ms (more than the 100 ms caught up by sending late).
        _ = try await session.eventLoop.submit { usleep(300_000) }.get()
        _ = await client.drain(quiet: 0.01)
        var packets: [RTPPacket] = []
        while packets.count < 10, let bytes = await client.receive(timeout: 30), let p = try? RTPPacket.decode(bytes) { packets.append(p) }
        let clock = clocks.clock(for: session.eventLoop)
        #expect(try await clock.eventLoop.submit { clock.skippedCycles }.get() >= 5)
        #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 },
                "no packet is lost, only time")
        session.close()
        await h.stop()
    }

    /// A loop carrying 100 calls whose turns run late (held busy 15 ms at a
    /// time, over and over) publishes a late share far over 5%: what
    /// `serve --overload-late` sheds on.
    @Test func aLoopThatRunsLatePublishesItsLateShare() async throws {
        let h = try await ServerHarness()
        let sink = UDPClient()
        let clocks = MediaClocks()
        var sessions: [MediaSession] = []
        for _ in 0..<LateShareWindow.minimumSessions { sessions.append(try await open(h, to: sink, clocks: clocks)) }
        let clock = clocks.clock(for: h.server.endpoint.eventLoop)
        var seen = -1
        for _ in 0..<3_000 where seen <= 500 {  // at most a minute of 20 ms turns
            _ = try await clock.eventLoop.submit { usleep(15_000) }.get()
            seen = clocks.worstLatePermille
        }
        #expect(seen > 500, "late share \(seen) permille while the loop was held busy most of the time")
        for s in sessions { s.close() }
        var left = clocks.worstLatePermille
        for _ in 0..<1_000 where left != -1 {
            try await Task.sleep(for: .milliseconds(20))
            left = clocks.worstLatePermille
        }
        #expect(left == -1, "no calls left: not judged")
        await h.stop()
    }
}
