import Foundation
import IVRTestSupport
import NIOCore
import Testing
@testable import IVRSIP

/// SIP over TCP and TLS on loopback (RFC 3261 18.3, RFC 5626 3.5.1): a
/// server with udp:, tcp: and (when openssl is there) tls: listeners, and
/// SwiftNIO clients in the test. Responses come back on the connection the
/// request came on; in-dialog requests of the server use it too.
@Suite(.dedicatedExecutor, .timeLimit(.minutes(3)))
struct StreamTransportTests {
    /// A server listening on UDP, TCP and, with `ca`, TLS (its certificate signed by `ca`).
    /// `t1`: RFC 3261's T1 in ms (the harness's 20 ms by default: timer H,
    /// the wait for an ACK, is then 1.28 s).
    static func harness(tls ca: TestCertificateAuthority? = nil, maxCalls: Int = 100, flow: String = ServerHarness.flow, t1: Int? = nil,
                        limits: @escaping (inout StreamLimits) -> Void = { _ in }) async throws -> ServerHarness {
        try await ServerHarness(maxCalls: maxCalls, flow: flow) { config in
            if let t1 {
                config.t1 = t1
                config.t2 = 8 * t1
            }
            if maxCalls > 150 { config.rtpPorts = 44000...44999 }
            config.listeners = [SIPListenAddress(.udp, host: "127.0.0.1", port: 0), SIPListenAddress(.tcp, host: "127.0.0.1", port: 0)]
            if let ca {
                config.listeners.append(SIPListenAddress(.tls, host: "127.0.0.1", port: 0))
                config.tls = TLSSettings(certificate: ca.serverCertificate, privateKey: ca.serverKey)
            }
            limits(&config.streamLimits)
        }
    }

    /// A request from `client` as a stream peer: Via and Contact name its
    /// transport and port (the Contact `contactPort` when given).
    static func request(_ method: String, over client: StreamClient, transport: String = "TCP", serverPort: Int, callID: String,
                        cseq: Int = 1, toTag: String? = nil, body: String = "", type: String? = nil, contactPort: Int? = nil) -> String {
        let port = client.channel.localAddress?.port ?? 9
        var s = "\(method) sip:100@127.0.0.1:\(serverPort);transport=\(transport.lowercased()) SIP/2.0\r\n"
        s += "Via: SIP/2.0/\(transport) 127.0.0.1:\(port);branch=z9hG4bK\(UUID().uuidString.prefix(8));rport\r\n"
        s += "From: <sip:tester@127.0.0.1>;tag=caller\r\nTo: <sip:100@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\n"
        s += "Contact: <sip:tester@127.0.0.1:\(contactPort ?? port);transport=\(transport.lowercased())>\r\nMax-Forwards: 70\r\n"
        if let type { s += "Content-Type: \(type)\r\n" }
        return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// The server's counters, read on its event loop.
    static func stats(_ h: ServerHarness) async throws -> SIPEndpoint.Stats {
        let endpoint = h.server.endpoint
        return try await endpoint.eventLoop.submit { endpoint.stats }.get()
    }

    /// OPTIONS over a new TCP connection is answered 200 on it.
    static func optionsAnswered(_ h: ServerHarness) async throws -> Bool {
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        defer { Task { await client.close() } }
        let id = "still-\(UUID().uuidString)"
        try await client.send(request("OPTIONS", over: client, serverPort: port, callID: id))
        return await client.next(until: { $0.header("Call-ID") == id })?.status == 200
    }

    @Test func optionsOverTCPIsAnsweredOnTheSameConnection() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        try await client.send(Self.request("OPTIONS", over: client, serverPort: port, callID: "tcp-options"))
        let answer = try #require(await client.next(), "no answer on the connection")
        #expect(answer.status == 200 && answer.header("Call-ID") == "tcp-options", "\(answer.text)")
        #expect(answer.header("Via")?.hasPrefix("SIP/2.0/TCP") == true)
        #expect(try await Self.stats(h).connectionsAccepted == 1)
        await client.close()
        await h.stop()
    }

    @Test func pipelinedRequestsAreEachAnswered() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        let ids = (1...3).map { "pipelined-\($0)" }
        // All three in one write (and so, on loopback, in one read of the server).
        try await client.send(ids.map { Self.request("OPTIONS", over: client, serverPort: port, callID: $0) }.joined())
        var answered = Set<String>()
        while answered.count < ids.count, let answer = await client.next() {
            #expect(answer.status == 200)
            answered.insert(answer.header("Call-ID") ?? "?")
        }
        #expect(answered == Set(ids))
        await client.close()
        await h.stop()
    }

    /// RFC 5626 3.5.1: CRLF CRLF is answered CRLF, and the connection serves on.
    @Test func aKeepAlivePingIsAnsweredWithAPong() async throws {
        let h = try await Self.harness()
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        try await client.send("\r\n\r\n")
        #expect(await client.take(prefix: Array("\r\n".utf8)), "no pong")
        try await client.send(Self.request("OPTIONS", over: client, serverPort: port, callID: "after-ping"))
        #expect(await client.next()?.header("Call-ID") == "after-ping")
        #expect(client.pending.isEmpty, "one pong per ping")
        await client.close()
        await h.stop()
    }

    /// A call over TCP: the 200 on the connection, the flow runs (key 2
    /// hangs up), and the server's BYE comes on the same connection, though
    /// the caller's Contact names a port where nothing listens (RFC 5626's
    /// flow: the connection is the way back, not the Contact).
    @Test func aCallOverTCPRunsAndTheServersByeUsesTheConnection() async throws {
        let h = try await Self.harness(t1: 500)  // the ACK may take longer than 64*20 ms on a loaded machine
        let port = try #require(h.server.endpoint.localPort(.tcp))
        let client = try await StreamClient.connect(port: port)
        let rtp = UDPClient()
        try await client.send(Self.request("INVITE", over: client, serverPort: port, callID: "tcp-call",
                                           body: h.offer(rtpPort: rtp.port), type: "application/sdp", contactPort: 9))
        let ok = try #require(await client.next(until: { $0.status == 200 && $0.isInviteResponse }), "no 200 over TCP")
        #expect(ok.header("Contact")?.contains("transport=tcp") == true, "\(ok.text)")
        try await client.send(Self.request("ACK", over: client, serverPort: port, callID: "tcp-call", toTag: ok.toTag))
        let media = try #require(ok.audioPort)
        var sequence: UInt16 = 1
        var bye: SIPMessageView?
        for attempt in 0..<10 where bye == nil {
            for packet in ServerHarness.keyPress(2, timestamp: UInt32(1000 + attempt * 800), sequence: sequence) { rtp.send(packet, toPort: media) }
            sequence &+= 4
            bye = await client.next(timeout: 2, until: { $0.method == "BYE" })
        }
        let byeRequest = try #require(bye, "the server's BYE did not come on the caller's connection")
        var response = "SIP/2.0 200 OK\r\n"
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] { response += "\(name): \(byeRequest.header(name) ?? "")\r\n" }
        try await client.send(response + "Content-Length: 0\r\n\r\n")
        #expect(await h.waitForNoCalls())
        let record = await h.record("tcp-call")
        #expect(record?.outcome == "hangup")
        #expect(record?.listen == "tcp:127.0.0.1:\(port)", "the listener the INVITE came in on")
        await client.close()
        await h.stop()
    }

    /// TLS with a certificate the test's own CA signed (SAN localhost and
    /// 127.0.0.1): the client verifies it, OPTIONS is answered over TLS.
    @Test(.enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")))
    func optionsOverTLSIsAnswered() async throws {
        let ca = try await TestCertificateAuthority.make()
        defer { ca.remove() }
        let h = try await Self.harness(tls: ca)
        let port = try #require(h.server.endpoint.localPort(.tls))
        let client = try await StreamClient.connect(port: port, trusting: ca.caCertificate)
        try await client.send(Self.request("OPTIONS", over: client, transport: "TLS", serverPort: port, callID: "tls-options"))
        let answer = try #require(await client.next(), "no answer over TLS")
        #expect(answer.status == 200 && answer.header("Via")?.hasPrefix("SIP/2.0/TLS") == true, "\(answer.text)")
        try await client.send("\r\n\r\n")
        #expect(await client.take(prefix: Array("\r\n".utf8)), "no pong over TLS")
        await client.close()
        await h.stop()
    }

    /// A client trusting another CA refuses the server's certificate: no
    /// message passes (the handshake fails on the client's side).
    @Test(.enabled(if: TestTools.onPath("openssl"), TestTools.missing("openssl", package: "openssl")))
    func aClientTrustingAnotherCARefusesTheServer() async throws {
        let ca = try await TestCertificateAuthority.make()
        let other = try await TestCertificateAuthority.make(name: "another CA")
        defer { ca.remove(); other.remove() }
        let h = try await Self.harness(tls: ca)
        let port = try #require(h.server.endpoint.localPort(.tls))
        let client = try await StreamClient.connect(port: port, trusting: other.caCertificate)
        try? await client.send(Self.request("OPTIONS", over: client, transport: "TLS", serverPort: port, callID: "refused"))
        #expect(await client.waitClosed(), "the handshake should fail")
        #expect(client.pending.isEmpty)
        #expect(try await Self.optionsAnswered(h))
        await h.stop()
    }
}
