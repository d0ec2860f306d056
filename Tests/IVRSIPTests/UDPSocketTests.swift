import Foundation
import IVRTestSupport
import Logging
import NIOCore
import Synchronization
import Testing
@testable import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// `UDPSocket` passes on what SwiftNIO reports: every datagram as the
/// buffer it was read into, every channel error to the socket's owner. A
/// transient error (ECONNREFUSED: a peer's ICMP "port unreachable") leaves
/// the SIP server serving on the same socket.
@Suite(.serialized, .dedicatedExecutor) struct UDPSocketTests {
    /// What a bare socket's callbacks saw.
    final class Seen: Sendable {
        let datagrams = Mutex<[[UInt8]]>([])
        let failures = Mutex<[UDPSocket.Failure]>([])
    }

    static func until(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    @Test func errorsReachTheOwnerAndTheSocketKeepsReceiving() async throws {
        let h = try await ServerHarness()
        let seen = Seen()
        let socket = try await UDPSocket.bind(
            host: "127.0.0.1", port: 0, group: h.server.endpoint.eventLoop,
            failed: { failure in seen.failures.withLock { $0.append(failure) } }
        ) { buffer, _ in
            seen.datagrams.withLock { $0.append(Array(buffer.readableBytesView)) }
        }
        h.client.send([1, 2, 3], toPort: socket.localPort)
        #expect(await Self.until { seen.datagrams.withLock { $0 } == [[1, 2, 3]] })

        socket.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNREFUSED, reason: "recvmsg"))
        #expect(await Self.until { seen.failures.withLock { $0.count } == 1 })
        let failure = try #require(seen.failures.withLock { $0.first })
        #expect(failure.isTransient)
        #expect((failure.error as? IOError)?.errnoCode == ECONNREFUSED)
        #expect(socket.channel.isActive)

        h.client.send([4, 5], toPort: socket.localPort)
        #expect(await Self.until { seen.datagrams.withLock { $0 } == [[1, 2, 3], [4, 5]] }, "still receiving after the error")

        // Any other error is reported as not transient, and closes the socket.
        socket.channel.pipeline.fireErrorCaught(IOError(errnoCode: EBADF, reason: "recvmsg"))
        #expect(await Self.until { seen.failures.withLock { $0.count } == 2 })
        #expect(seen.failures.withLock { $0.last?.isTransient } == false)
        #expect(await Self.until { !socket.channel.isActive })
        await socket.close()
        await h.stop()
    }

    @Test func sipSocketErrorIsLoggedAndTheServerKeepsServing() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test", factory: { _ in LineLogHandler(lines: lines) })
        logger.logLevel = .info
        let h = try await ServerHarness(logger: logger)
        let endpoint = h.server.endpoint
        #expect(await h.ask(h.request("OPTIONS", callID: "before"))?.status == 200)

        endpoint.socket!.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNREFUSED, reason: "recvmsg"))
        let port = h.port
        #expect(await Self.until { lines.all.contains { $0.hasPrefix("SIP socket: ") && $0.contains("still serving port: \(port)") } },
                "\(lines.all)")
        #expect(try await endpoint.eventLoop.submit { endpoint.stats.socketErrors }.get() == 1)
        #expect(endpoint.socket!.channel.isActive)
        #expect(await h.ask(h.request("OPTIONS", callID: "after"))?.status == 200, "still answering on the same socket")

        // A garbage request still gets a clear answer (400 with the parser's reason), read from the socket's buffer.
        let broken = "INVITE sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(h.client.port);branch=z9hG4bKbad\r\n"
            + "From: <sip:a@b>;tag=1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: garbage\r\nCSeq: 1 INVITE\r\nno colon here\r\n\r\n"
        let answer = await h.ask(broken)
        #expect(answer?.status == 400)
        #expect(answer?.header("Warning")?.contains("header line without a colon") == true, "\(answer?.text ?? "no answer")")
        #expect(try await endpoint.eventLoop.submit { endpoint.stats.malformed }.get() >= 1)
        #expect(await h.ask(h.request("OPTIONS", callID: "last"))?.status == 200)
        await h.stop()
    }
}
