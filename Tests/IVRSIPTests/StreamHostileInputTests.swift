import Foundation
import IVRTestSupport
import NIOCore
import Testing
@testable import IVRSIP

/// What a hostile TCP or TLS peer can do to `ivrc serve`, and the limits
/// (`StreamLimits`, docs/sip.md "Limits on TCP and TLS") that end it: each
/// connection is closed, the server keeps its memory bounded, and normal
/// calls still complete afterwards. Timeouts are shortened to 1 s so the
/// tests wait for the event, with ceilings of 20 s or more.
@Suite(.dedicatedExecutor, .timeLimit(.minutes(3)))
struct StreamHostileInputTests {
    /// T1 500 ms: the wait for an ACK (64*T1) outlasts a loaded machine's
    /// delays (a call ended for a late ACK would no longer protect its connection).
    static func harness(tls ca: TestCertificateAuthority? = nil, t1: Int? = 500, limits: @escaping (inout StreamLimits) -> Void = { _ in })
    async throws -> ServerHarness {
        try await StreamTransportTests.harness(tls: ca, t1: t1) { streamLimits in
            streamLimits.messageTimeout = 1000
            streamLimits.handshakeTimeout = 1000
            limits(&streamLimits)
        }
    }

    static func stats(_ h: ServerHarness) async throws -> SIPEndpoint.Stats { try await StreamTransportTests.stats(h) }

    /// Normal traffic after an attack: OPTIONS over a new TCP connection,
    /// and a whole call over UDP (INVITE, 200, ACK, BYE, 200).
    static func stillServes(_ h: ServerHarness) async throws {
        #expect(try await StreamTransportTests.optionsAnswered(h), "OPTIONS over a new TCP connection is not answered")
        let id = "after-\(UUID().uuidString)"
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: id, rtp: rtp), "a UDP call is not answered")
        let bye = await h.ask(h.request("BYE", callID: id, cseq: 2, toTag: ok.toTag))
        #expect(bye?.status == 200)
    }

    /// A TLS client that connects and never finishes the handshake (silent,
    /// or half a ClientHello) is closed after the handshake timeout.
    @Test(.enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")),
          arguments: [[], [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]] as [[UInt8]])
    func aTLSHandshakeThatNeverEndsIsClosed(opening: [UInt8]) async throws {
        let ca = try await TestCertificateAuthority.make()
        defer { ca.remove() }
        let h = try await Self.harness(tls: ca)
        let port = try #require(h.server.endpoint.localPort(.tls))
        let stalled = try #require(RawTCPSocket(port: port))
        if !opening.isEmpty { stalled.send(opening) }
        let closed = await onOwnThread { () -> Bool in
            for _ in 0..<400 {
                if stalled.isClosedByPeer { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(closed, "the stalled handshake is still open after 20 s")
        #expect(try await Self.stats(h).connectionErrors >= 1)
        let client = try await StreamClient.connect(port: port, trusting: ca.caCertificate)
        try await client.send(StreamTransportTests.request("OPTIONS", over: client, transport: "TLS", serverPort: port, callID: "tls-after"))
        #expect(await client.next()?.status == 200, "a real TLS client is still served")
        await client.close()
        try await Self.stillServes(h)
        await h.stop()
    }

    /// A Content-Length larger than what is sent: the message never ends,
    /// and the connection is closed after the message timeout.
    @Test func aLyingContentLengthIsClosedAfterTheMessageTimeout() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        var liar = StreamTransportTests.request("OPTIONS", over: client, serverPort: port, callID: "liar", body: "0123456789")
        liar = liar.replacingOccurrences(of: "Content-Length: 10", with: "Content-Length: 500")
        try await client.send(liar)
        #expect(await client.waitClosed(), "the connection waiting for 490 more bytes is still open after 20 s")
        #expect(client.pending.isEmpty, "no answer to a message that never ended")
        #expect(try await Self.stats(h).connectionErrors == 1)
        try await Self.stillServes(h)
        await h.stop()
    }

    /// A header section of 10 MB (no blank line): closed once the 16 KB
    /// header limit is passed; the sender cannot push much more than the
    /// limit plus the kernel's socket buffers before the connection is gone.
    @Test func aTenMegabyteHeaderIsClosedAtTheLimit() async throws {
        let h = try await Self.harness { $0.messageTimeout = 60_000 }  // only the header limit can end it
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let sent = try await onOwnThread { () throws -> Int in
            guard let socket = RawTCPSocket(port: port, sendBuffer: 16_384) else { throw CancellationError() }
            var total = 0
            var chunk = Array("INVITE sip:100@127.0.0.1 SIP/2.0\r\nX-Filler: ".utf8)
            chunk += Array(repeating: UInt8(ascii: "a"), count: 65_536 - chunk.count)
            while total < 10_000_000, socket.send(chunk) {
                total += chunk.count
                chunk = Array(repeating: UInt8(ascii: "a"), count: 65_536)
            }
            return total
        }
        // The limit is 16 KB; loopback socket buffers hold a few MB at most.
        #expect(sent < 10_000_000, "the server took all 10 MB")
        print("10 MB header: the sender got \(sent) bytes out before the connection was closed")
        #expect(try await Self.stats(h).connectionErrors == 1)
        try await Self.stillServes(h)
        await h.stop()
    }

    /// One byte every 100 ms: the message is not whole after the message
    /// timeout (1 s here), so the connection is closed long before it is.
    @Test func aSlowSenderIsClosedByTheMessageTimeout() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        let bytes = Array(StreamTransportTests.request("OPTIONS", over: client, serverPort: port, callID: "slow").utf8)
        var sent = 0
        while sent < bytes.count, !client.isClosed {
            try? await client.send([bytes[sent]])
            sent += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(client.isClosed, "the slow sender finished its \(bytes.count)-byte message: it was never closed")
        #expect(sent < bytes.count / 2, "closed after \(sent) bytes (\(sent / 10) s)")
        #expect(client.pending.isEmpty)
        try await Self.stillServes(h)
        await h.stop()
    }

    /// Garbage: a request broken past parsing but with a usable Via gets a
    /// 400 on its connection, which is then closed (its framing cannot be
    /// trusted); bytes that are no SIP at all close it without an answer.
    @Test func garbageClosesTheConnectionWithA400WhenSalvageable() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))

        let salvageable = try await StreamClient.connect(port: port)
        let broken = StreamTransportTests.request("OPTIONS", over: salvageable, serverPort: port, callID: "garbage")
            .replacingOccurrences(of: "CSeq: 1 OPTIONS", with: "CSeq: one OPTIONS")
        try await salvageable.send(broken)
        let answer = await salvageable.next()
        #expect(answer?.status == 400 && answer?.header("Call-ID") == "garbage", "\(answer?.text ?? "no answer")")
        #expect(await salvageable.waitClosed())

        let noise = try await StreamClient.connect(port: port)
        var generator = SeededGenerator(seed: 15)
        try await noise.send((0..<600).map { _ in UInt8.random(in: 0x80...0xff, using: &generator) } + Array("\r\n\r\n".utf8))
        #expect(await noise.waitClosed())
        #expect(noise.pending.isEmpty)

        #expect(try await Self.stats(h).malformed == 2)
        try await Self.stillServes(h)
        await h.stop()
    }

    /// 1,000 idle connections from one address against a per-source limit
    /// of 100: each one over the limit closes the idlest, the stats count
    /// them, and a new connection (and a UDP call) is still served.
    @Test func aThousandIdleConnectionsEvictTheIdlest() async throws {
        let h = try await Self.harness { $0.maxConnectionsPerSource = 100 }
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let sockets = try await onOwnThread { () throws -> [RawTCPSocket] in
            try (0..<1000).map { _ in
                guard let s = RawTCPSocket(port: port) else { throw CancellationError() }
                return s
            }
        }
        var stats = try await Self.stats(h)
        for _ in 0..<600 where stats.connectionsAccepted < 1000 {
            try await Task.sleep(for: .milliseconds(50))
            stats = try await Self.stats(h)
        }
        #expect(stats.connectionsAccepted == 1000)
        #expect(stats.connectionsEvicted == 900, "\(stats)")
        #expect(stats.connectionsRefused == 0)
        let closed = await onOwnThread { () -> Int in
            for _ in 0..<400 {
                let n = sockets.filter(\.isClosedByPeer).count
                if n >= 900 { return n }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return sockets.filter(\.isClosedByPeer).count
        }
        #expect(closed == 900, "the 900 oldest are closed, the newest 100 open")
        #expect(sockets.suffix(100).allSatisfy { !$0.isClosedByPeer })
        try await Self.stillServes(h)
        #expect(try await Self.stats(h).connectionsEvicted == 901, "the OPTIONS connection made room too")
        _ = sockets
        await h.stop()
    }

    /// The connection a live call came on is never closed to make room,
    /// though it is the idlest: its BYE still goes through on it.
    @Test func aConnectionCarryingALiveCallIsNeverEvicted() async throws {
        let h = try await Self.harness { $0.maxConnectionsPerSource = 5 }
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let caller = try await StreamClient.connect(port: port)
        let rtp = UDPClient()
        try await caller.send(StreamTransportTests.request("INVITE", over: caller, serverPort: port, callID: "live",
                                                           body: h.offer(rtpPort: rtp.port), type: "application/sdp"))
        let ok = try #require(await caller.next(until: { $0.status == 200 && $0.isInviteResponse }))
        try await caller.send(StreamTransportTests.request("ACK", over: caller, serverPort: port, callID: "live", toTag: ok.toTag))
        let idle = try await onOwnThread { () throws -> [RawTCPSocket] in
            try (0..<30).map { _ in
                guard let s = RawTCPSocket(port: port) else { throw CancellationError() }
                return s
            }
        }
        var stats = try await Self.stats(h)
        for _ in 0..<600 where stats.connectionsAccepted < 31 {
            try await Task.sleep(for: .milliseconds(50))
            stats = try await Self.stats(h)
        }
        #expect(stats.connectionsEvicted == 26, "30 idle + 1 live over a limit of 5: 26 idle ones closed; \(stats)")
        #expect(!caller.isClosed, "the live call's connection was closed")
        try await caller.send(StreamTransportTests.request("BYE", over: caller, serverPort: port, callID: "live", cseq: 2, toTag: ok.toTag))
        #expect(await caller.next(until: { $0.header("CSeq") == "2 BYE" })?.status == 200)
        #expect(await h.waitForNoCalls())
        _ = idle
        await caller.close()
        try await Self.stillServes(h)
        await h.stop()
    }
}
