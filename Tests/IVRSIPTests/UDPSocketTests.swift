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

    @Test func rtpSocketErrorsAreCountedAndTheCallGoesOn() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "rtperror", rtp: rtp))
        let endpoint = h.server.endpoint
        let leg = try #require(await endpoint.eventLoop.submit { endpoint.calls["rtperror"] }.get())
        let media = try #require(leg.media)
        media.socket.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNREFUSED, reason: "recvmsg"))
        #expect(await Self.until { (try? await media.eventLoop.submit { media.socketErrors }.get()) == 1 })
        #expect(media.socket.channel.isActive)
        // The key still arrives over the same RTP socket: "1" plays goodbye and hangs up.
        let serverRTP = try #require(ok.audioPort)
        for packet in ServerHarness.keyPress(1, timestamp: 1000, sequence: 1) { rtp.send(packet, toPort: serverRTP) }
        #expect(await h.client.receiveSIP { $0.method == "BYE" }.0 != nil)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    /// An RTP socket sends with `sendto` on a descriptor of its own
    /// (`DatagramSender`), past NIO's write pipeline: the datagram arrives
    /// from the socket's port, reading still goes through NIO, and once the
    /// socket is closed on its loop the port is free at once (both
    /// descriptors closed) and the sender sends nothing more.
    @Test func rtpSocketSendsDirectlyAndFreesItsPortOnClose() async throws {
        let h = try await ServerHarness()
        let loop = h.server.endpoint.eventLoop
        let peer = UDPClient()
        let seen = Seen()
        let socket = try await UDPSocket.bind(host: "127.0.0.1", port: 0, group: loop, options: .rtp, failed: { _ in }) { buffer, _ in
            seen.datagrams.withLock { $0.append(Array(buffer.readableBytesView)) }
        }
        let port = socket.localPort
        #expect(port > 0)
        #expect(socket.sender != nil, "an RTP socket sends directly")
        let to = try SocketAddress(ipAddress: "127.0.0.1", port: peer.port)
        let sent = try await loop.submit {
            var buffer = socket.channel.allocator.buffer(capacity: 4)
            buffer.writeBytes([9, 8, 7])
            socket.sendOnLoop(buffer, to: to)
            return socket.sender?.refused
        }.get()
        #expect(sent == 0)
        #expect(await peer.receive(timeout: 30) == [9, 8, 7])
        peer.send([1, 2], toPort: port)
        #expect(await Self.until { seen.datagrams.withLock { $0 } == [[1, 2]] }, "reading goes through NIO")

        // Closed on its loop: the sender is closed, and the port binds again at once.
        let (open, rebound) = try await loop.submit { () -> (Bool, Bool) in
            socket.closeNow()
            let open = socket.sender?.isOpen ?? true
            guard let again = try? boundUDPDescriptor(host: "127.0.0.1", port: port) else { return (open, false) }
            close(again)
            return (open, true)
        }.get()
        #expect(!open, "the direct sender is closed with the socket")
        #expect(rebound, "port \(port) is free as soon as the socket is closed")
        let after = try await loop.submit { () -> Int? in
            var buffer = socket.channel.allocator.buffer(capacity: 1)
            buffer.writeBytes([1])
            socket.sendOnLoop(buffer, to: to)
            return socket.sender?.refused
        }.get()
        #expect(after == 0, "a closed sender does not even try")
        await h.stop()
    }

    /// A port another socket holds fails the bind with EADDRINUSE (which
    /// `MediaSession.open` skips), and nothing is left open.
    @Test func rtpBindOnATakenPortFailsWithAddressInUse() async throws {
        let h = try await ServerHarness()
        let holder = UDPClient()
        do {
            _ = try await UDPSocket.bind(host: "127.0.0.1", port: holder.port, group: h.server.endpoint.eventLoop, options: .rtp,
                                         failed: { _ in }) { _, _ in }
            Issue.record("bound a taken port")
        } catch {
            #expect(MediaSession.isAddressInUse(error), "\(error)")
        }
        await h.stop()
    }
}
