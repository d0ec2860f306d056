import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// A call's RTP port (`RTPSocket`) outside NIO's channels: it sends with
/// `sendto`, is read by its loop's clock when `ReadinessSet` says it has
/// data, reports where each datagram came from (`RTPSource`), and frees
/// its port the moment it closes.
@Suite(.serialized) struct RTPSocketTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var loop: EventLoop { Self.group.next() }

    /// One `receive` into a buffer of `size` bytes: the bytes read and the reception.
    static func read(_ socket: RTPSocket, size: Int) -> ([UInt8], RTPSocket.Reception) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
        defer { buffer.deallocate() }
        let reception = socket.receive(into: buffer)
        guard case .datagram(let count, _) = reception else { return ([], reception) }
        return (Array(buffer[..<count]), reception)
    }

    /// Reads `socket` until a datagram comes (a real hang ends at the ceiling).
    static func receive(_ socket: RTPSocket, size: Int) async throws -> ([UInt8], RTPSource)? {
        for _ in 0..<2_000 {
            let got = try await socket.eventLoop.submit { () -> ([UInt8], RTPSource)? in
                let (bytes, reception) = read(socket, size: size)
                guard case .datagram(_, let source) = reception else { return nil }
                return (bytes, source)
            }.get()
            if let got { return got }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    @Test func datagramsGoBothWaysWithTheirSourceAndTheBufferCutsLongOnes() async throws {
        let loop = self.loop
        let a = try await loop.submit { try RTPSocket(host: "127.0.0.1", port: 0, eventLoop: loop) }.get()
        let b = try await loop.submit { try RTPSocket(host: "127.0.0.1", port: 0, eventLoop: loop) }.get()
        #expect(a.localPort > 0 && b.localPort > 0 && a.localPort != b.localPort)
        let empty = try await loop.submit { Self.read(b, size: 4).1 }.get()
        #expect(empty == .empty, "nothing sent yet: nothing read, and no wait")

        let toB = try SocketAddress(ipAddress: "127.0.0.1", port: b.localPort)
        let sent = try await loop.submit { () -> Bool in
            var bytes = ByteBufferAllocator().buffer(capacity: 6)
            bytes.writeBytes([9, 8, 7, 6, 5, 4])
            return a.send(bytes, to: toB)
        }.get()
        #expect(sent)
        let (bytes, source) = try #require(try await Self.receive(b, size: 4))
        #expect(bytes == [9, 8, 7, 6], "a datagram longer than the buffer is cut to it")
        #expect(Int(source.port) == a.localPort)
        #expect(source.ipAddress == "127.0.0.1")
        #expect(source.socketAddress == (try SocketAddress(ipAddress: "127.0.0.1", port: a.localPort)))
        #expect(source != RTPSource(try Self.storage(of: SocketAddress(ipAddress: "127.0.0.1", port: b.localPort))))
        try await loop.submit { a.close(); b.close() }.get()
    }

    /// Closed on its loop, the port binds again at once and the socket
    /// sends and reads nothing more.
    @Test func closingFreesThePortAtOnce() async throws {
        let loop = self.loop
        let socket = try await loop.submit { try RTPSocket(host: "127.0.0.1", port: 0, eventLoop: loop) }.get()
        let port = socket.localPort
        let to = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let (rebound, sent, read) = try await loop.submit { () -> (Bool, Bool, RTPSocket.Reception) in
            socket.close()
            let rebound: Bool
            if let again = try? boundUDPDescriptor(host: "127.0.0.1", port: port) {
                closeDescriptor(again)
                rebound = true
            } else {
                rebound = false
            }
            var bytes = ByteBufferAllocator().buffer(capacity: 1)
            bytes.writeBytes([1])
            return (rebound, socket.send(bytes, to: to), Self.read(socket, size: 8).1)
        }.get()
        #expect(rebound, "port \(port) is free as soon as the socket is closed")
        #expect(!sent, "a closed socket does not even try")
        #expect(read == .empty)
        #expect(socket.refused == 0)
    }

    /// A port another socket holds fails with EADDRINUSE (which
    /// `MediaSession.open` skips to the next port), and nothing is left open.
    @Test func aTakenPortFailsWithAddressInUse() async throws {
        let loop = self.loop
        let holder = try await loop.submit { try RTPSocket(host: "127.0.0.1", port: 0, eventLoop: loop) }.get()
        let port = holder.localPort
        do {
            _ = try await loop.submit { try RTPSocket(host: "127.0.0.1", port: port, eventLoop: loop) }.get()
            Issue.record("bound a taken port")
        } catch {
            #expect(MediaSession.isAddressInUse(error), "\(error)")
        }
        try await loop.submit { holder.close() }.get()
    }

    /// `count` sockets on `loop`, watched by a new readiness set of `capacity` events a batch.
    static func watched(_ count: Int, capacity: Int, on loop: EventLoop) async throws -> ([RTPSocket], ReadinessSet) {
        let sockets = try await loop.submit { try (0..<count).map { _ in try RTPSocket(host: "127.0.0.1", port: 0, eventLoop: loop) } }.get()
        let set = try ReadinessSet(capacity: capacity)
        for socket in sockets { try set.add(socket.descriptor) }
        return (sockets, set)
    }

    /// Only sockets with data are reported, each once per ask, and a
    /// socket with two datagrams waiting is reported again after one read
    /// (level-triggered); a socket no longer watched is not reported.
    @Test func readinessReportsOnlySocketsWithData() async throws {
        let loop = self.loop
        let (sockets, set) = try await Self.watched(3, capacity: 8, on: loop)
        let sender = UDPClient()
        sender.send([1], toPort: sockets[1].localPort)
        sender.send([2], toPort: sockets[1].localPort)
        sender.send([3], toPort: sockets[2].localPort)
        @Sendable func readAll() -> [CInt: [UInt8]] {
            var got: [CInt: [UInt8]] = [:]
            set.forEachReady { fd in
                guard let socket = sockets.first(where: { $0.descriptor == fd }) else { return }
                got[fd, default: []] += Self.read(socket, size: 16).0
            }
            return got
        }
        var seen: [CInt: [UInt8]] = [:]
        for _ in 0..<2_000 where seen.values.reduce(0, { $0 + $1.count }) < 3 {
            for (fd, bytes) in try await loop.submit({ readAll() }).get() {
                #expect(bytes.count == 1, "one datagram per socket per ask")
                seen[fd, default: []] += bytes
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(seen[sockets[0].descriptor] == nil)
        #expect(seen[sockets[1].descriptor] == [1, 2])
        #expect(seen[sockets[2].descriptor] == [3])

        set.remove(sockets[2].descriptor)
        sender.send([4], toPort: sockets[2].localPort)
        sender.send([5], toPort: sockets[0].localPort)
        var after: [CInt: [UInt8]] = [:]
        for _ in 0..<2_000 where after[sockets[0].descriptor] == nil {
            after.merge(try await loop.submit({ readAll() }).get()) { $0 + $1 }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(after[sockets[0].descriptor] == [5])
        #expect(after[sockets[2].descriptor] == nil, "a socket no longer watched is not reported")
        try await loop.submit { sockets.forEach { $0.close() } }.get()
    }

    /// More ready sockets than one batch of `epoll_wait` holds are all read
    /// in one call (a full batch asks again).
    @Test func moreReadySocketsThanABatchAreAllReadInOneCall() async throws {
        let loop = self.loop
        let (sockets, set) = try await Self.watched(3, capacity: 1, on: loop)
        let sender = UDPClient()
        for (i, s) in sockets.enumerated() { sender.send([UInt8(i)], toPort: s.localPort) }
        // Wait until all three have their datagram (each socket is peeked at with poll, not read).
        let fds = sockets.map(\.descriptor)
        for _ in 0..<2_000 {
            var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&polls, nfds_t(polls.count), 0) == 3 { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        let read = try await loop.submit { () -> [UInt8] in
            var bytes: [UInt8] = []
            set.forEachReady { fd in
                if let socket = sockets.first(where: { $0.descriptor == fd }) { bytes += Self.read(socket, size: 4).0 }
            }
            return bytes
        }.get()
        #expect(read.sorted() == [0, 1, 2])
        try await loop.submit { sockets.forEach { $0.close() } }.get()
    }

    @Test func sourcesCompareByFamilyAddressAndPort() throws {
        let v4 = try #require(RTPSource(try Self.storage(of: SocketAddress(ipAddress: "192.0.2.7", port: 4000))))
        #expect(v4.ipAddress == "192.0.2.7" && v4.port == 4000)
        #expect(v4 == RTPSource(try Self.storage(of: SocketAddress(ipAddress: "192.0.2.7", port: 4000))))
        #expect(v4 != RTPSource(try Self.storage(of: SocketAddress(ipAddress: "192.0.2.7", port: 4001))))
        #expect(v4 != RTPSource(try Self.storage(of: SocketAddress(ipAddress: "192.0.2.8", port: 4000))))
        let v6 = try #require(RTPSource(try Self.storage(of: SocketAddress(ipAddress: "2001:db8::1:2", port: 4000))))
        #expect(v6.ipAddress == "2001:db8::1:2" && v6.port == 4000)
        #expect(v6 != v4)
        #expect(v6.socketAddress == (try SocketAddress(ipAddress: "2001:db8::1:2", port: 4000)))
        var unix = sockaddr_storage()
        unix.ss_family = sa_family_t(AF_UNIX)
        #expect(RTPSource(unix) == nil, "only IPv4 and IPv6 sources")
    }

    /// A read error on a call's RTP socket is counted, and the call goes on
    /// reading the same socket: a key sent afterwards still arrives.
    @Test func readErrorsAreCountedAndTheCallGoesOn() async throws {
        let h = try await ServerHarness()
        let rtp = UDPClient()
        let ok = try #require(await h.establish(callID: "rtperror", rtp: rtp))
        let endpoint = h.server.endpoint
        let leg = try #require(await endpoint.eventLoop.submit { endpoint.calls["rtperror"] }.get())
        let media = try #require(leg.media)
        let (errors, open) = try await media.eventLoop.submit { () -> (Int, Bool) in
            media.socketFailed(ECONNREFUSED)
            return (media.socketErrors, media.socket.isOpen)
        }.get()
        #expect(errors == 1)
        #expect(open)
        // "1" plays goodbye and hangs up.
        let serverRTP = try #require(ok.audioPort)
        for packet in ServerHarness.keyPress(1, timestamp: 1000, sequence: 1) { rtp.send(packet, toPort: serverRTP) }
        #expect(await h.client.receiveSIP { $0.method == "BYE" }.0 != nil)
        #expect(await h.waitForNoCalls())
        await h.stop()
    }

    static func storage(of address: SocketAddress) -> sockaddr_storage {
        var storage = sockaddr_storage()
        address.withSockAddr { name, length in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: name, count: length)) }
        }
        return storage
    }
}
