import Foundation
import IVRTestSupport
import Testing
@testable import IVRSIP

/// RFC 3261 17.2 (server transactions over UDP) and 18.2.2 (where
/// responses go), on a running server.
@Suite(.dedicatedExecutor) struct ServerTransactionTests {
    /// A harness whose only RTP port is taken, so every call fails with 503
    /// (RTP ports are even: the squatter holds an even one).
    static func harnessWithoutRTPPorts(_ t1: Int = 20) async throws -> (ServerHarness, UDPClient) {
        var squatter = UDPClient()
        while squatter.port % 2 != 0 { squatter = UDPClient() }
        let port = squatter.port
        let h = try await ServerHarness { $0.rtpPorts = port...port; $0.t1 = t1; $0.t2 = 8 * t1 }
        return (h, squatter)
    }

    /// 17.2.1: a retransmitted INVITE after the final 503 gets the same 503
    /// (same To tag), not a second call and a second record.
    @Test func retransmittedInviteAfter503GetsThe503Again() async throws {
        // T1 = 500 ms: the transaction outlives a loaded machine's delays.
        let (h, squatter) = try await Self.harnessWithoutRTPPorts(500)
        let invite = h.invite(callID: "no-port", rtpPort: squatter.port, branch: "z9hG4bKnoport")
        h.client.send(invite, toPort: h.port)
        let first = try #require(await h.client.receiveSIP { $0.status == 503 }.0)
        h.client.send(invite, toPort: h.port)
        let (again, between) = await h.client.receiveSIP { $0.status == 503 }
        #expect(again?.toTag == first.toTag && first.toTag != nil)
        #expect(!between.contains { $0.status == 100 || $0.status == 180 }, "no second call set up: \(between.map(\.firstLine))")
        h.client.send(h.request("ACK", callID: "no-port", toTag: first.toTag, branch: "z9hG4bKnoport"), toPort: h.port)
        #expect(await h.record("no-port") != nil)
        #expect(await h.server.endpoint.activeCallCount() == 0)
        let endpoint = h.server.endpoint
        let inviteTransactions = try await endpoint.eventLoop.submit { endpoint.inviteTransactions.count }.get()
        // One transaction (or none: timer H, 32 s, may have ended it on a loaded machine), never two.
        #expect(inviteTransactions <= 1)
        await h.stop()
        #expect(h.records.count == 1, "one call, one record")
    }

    /// 17.2.1 Timer G: the non-2xx final response is sent again until the
    /// ACK, which moves the transaction to Confirmed (timer I then ends it).
    @Test func aNon2xxFinalResponseIsRetransmittedUntilTheACK() async throws {
        // T1 = 500 ms: timer H (32 s) outlives a loaded machine's delays.
        let (h, squatter) = try await Self.harnessWithoutRTPPorts(500)
        h.client.send(h.invite(callID: "timer-g", rtpPort: squatter.port, branch: "z9hG4bKtimerg"), toPort: h.port)
        let first = try #require(await h.client.receiveSIP { $0.status == 503 }.0)
        let second = await h.client.receiveSIP { $0.status == 503 }.0
        #expect(second?.text == first.text, "Timer G resends the same bytes")
        let endpoint = h.server.endpoint
        let before = try await endpoint.eventLoop.submit { endpoint.inviteTransactions.entries.values.first?.state }.get()
        #expect(before == .completed)
        h.client.send(h.request("ACK", callID: "timer-g", toTag: first.toTag, branch: "z9hG4bKtimerg"), toPort: h.port)
        var state = before
        for _ in 0..<600 where state == .completed {
            try await Task.sleep(for: .milliseconds(50))
            state = try await endpoint.eventLoop.submit { endpoint.inviteTransactions.entries.values.first?.state }.get()
        }
        // Confirmed, or already gone when timer I (T4 = 5 s) ran out first on a loaded machine.
        #expect(state == .confirmed || state == nil)
        await h.stop()
    }

    /// 18.2.2: without `rport` the response goes to the sent-by port of the
    /// top Via, not to the port the request came from.
    @Test func withoutRportTheResponseGoesToTheSentByPort() async throws {
        let h = try await ServerHarness()
        let listener = UDPClient()
        var options = h.request("OPTIONS", callID: "sent-by")
        options = options.replacingOccurrences(of: "127.0.0.1:\(h.client.port);branch", with: "127.0.0.1:\(listener.port);branch")
            .replacingOccurrences(of: ";rport\r\n", with: "\r\n")
        h.client.send(options, toPort: h.port)
        let ok = await listener.receiveSIP { $0.header("Call-ID") == "sent-by" }.0
        #expect(ok?.status == 200)
        #expect(ok?.header("Via")?.contains("rport") == false)
        await h.stop()
    }

    /// RFC 3581: with `rport`, the response goes to the source port, and
    /// its Via says `received` and `rport` with the values seen.
    @Test func withRportTheResponseGoesToTheSourcePortAndSaysSo() async throws {
        let h = try await ServerHarness()
        var options = h.request("OPTIONS", callID: "rport")
        options = options.replacingOccurrences(of: "127.0.0.1:\(h.client.port);branch", with: "127.0.0.1:9;branch")
        h.client.send(options, toPort: h.port)
        let ok = await h.client.receiveSIP { $0.header("Call-ID") == "rport" }.0
        #expect(ok?.status == 200)
        #expect(ok?.header("Via")?.contains(";rport=\(h.client.port)") == true, "\(ok?.header("Via") ?? "")")
        #expect(ok?.header("Via")?.contains(";received=127.0.0.1") == true)
        await h.stop()
    }
}
