import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// `serve --realtime-media` (`SIPConfiguration.realtimePriority`): every
/// event loop of the node, signalling's included, runs under SCHED_RR at
/// the priority asked for when the process may; when it may not, every
/// loop keeps the ordinary policy; calls are answered either way.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RealtimePriorityTests {
    /// Whether this process may use SCHED_RR at `priority`, tried on a thread of its own.
    static func permitted(_ priority: Int32) async throws -> Bool {
        let scratch = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let permitted = try await scratch.next().submit { RealtimePriority.setOnCurrentThread(priority: priority) == 0 }.get()
        try await scratch.shutdownGracefully()
        return permitted
    }

    static func policies(_ loops: [EventLoop]) async throws -> [Int32: Int] {
        var seen: [Int32: Int] = [:]
        for loop in loops {
            let (policy, priority) = try await loop.submit { RealtimePriority.currentThread() }.get()
            seen[policy == SCHED_RR ? priority : -1, default: 0] += 1
        }
        return seen
    }

    @Test func everyLoopRunsAtThePriorityAskedForOrNoneDoes() async throws {
        let permitted = try await Self.permitted(7)
        let h = try await ServerHarness(configure: { $0.realtimePriority = 7 })
        var loops = Array(h.server.eventLoopGroup.makeIterator())
        loops.append(h.server.endpoint.eventLoop)
        #expect(loops.count == System.coreCount + 1, "media loops and the signalling loop")
        let seen = try await Self.policies(loops)
        #expect(seen == [permitted ? 7 : -1: loops.count], "permitted: \(permitted)")
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "realtime", rtp: rtp))
        #expect(ok.audioPort != nil)
        #expect(await rtp.receive(timeout: 30) != nil, "the call's RTP flows")
        await h.stop()
    }

    @Test func withoutTheOptionLoopsKeepTheOrdinaryPolicy() async throws {
        let h = try await ServerHarness()
        var loops = Array(h.server.eventLoopGroup.makeIterator())
        loops.append(h.server.endpoint.eventLoop)
        #expect(try await Self.policies(loops) == [-1: loops.count])
        await h.stop()
    }

    /// A priority the kernel refuses for everyone (0 is not a SCHED_RR
    /// priority) is reported, and nothing changes.
    @Test func aRefusalIsReportedAndChangesNothing() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let refusal = await RealtimePriority.raise(loops, priority: 0)
        #expect(refusal != nil)
        #expect(try await Self.policies(loops) == [-1: 2])
        try await group.shutdownGracefully()
    }
}
