import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One call's RTP port: a non-blocking UDP socket of its own, outside
/// NIO's channels, used only on its event loop.
///
/// An RTP port gets one 172-byte packet every 20 ms and sends one; through
/// a NIO channel each datagram in costs a readiness event, a `recvmsg`, a
/// `SocketAddress` formatted as text and a trip down the pipeline, and each
/// datagram out a boxed envelope, a queue entry and a flush. Here a packet
/// out costs one `sendto`, and a packet in one `recvfrom` into the loop's
/// buffer: the loop's `MediaClock` reads every socket that has data once a
/// millisecond (`ReadinessSet`), so a loop carrying 1,000 calls wakes
/// 1,000 times a second, not 50,000.
///
/// The socket is closed by `close()` on its loop, and the port is free
/// again when that returns.
///
/// Concurrency: used only on `eventLoop` (`send`, `receive`, `close`),
/// which is what makes the `@unchecked Sendable` sound.
final class RTPSocket: @unchecked Sendable {
    let eventLoop: EventLoop
    private(set) var descriptor: CInt
    let localPort: Int
    /// Datagrams the kernel refused (a full send buffer: `EAGAIN`, `ENOBUFS`;
    /// an unreachable route); RTP is best effort, so they are counted only.
    private(set) var refused = 0

    /// What one `receive` found.
    enum Reception: Equatable {
        /// A datagram of `count` bytes from `source` (cut at the buffer's size).
        case datagram(count: Int, source: RTPSource)
        /// Nothing to read now.
        case empty
        /// The kernel reported an error (`errno`), such as an ICMP
        /// unreachable; the socket stays open.
        case failed(CInt)
    }

    /// Binds a socket to `host:port` (0: any free port); throws the bind's
    /// `IOError` as it came (`EADDRINUSE` for a port another socket holds).
    init(host: String, port: Int, eventLoop: EventLoop) throws {
        let descriptor = try boundUDPDescriptor(host: host, port: port)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0, let local = RTPSource(storage) else {
            let code = errno
            closeDescriptor(descriptor)
            throw IOError(errnoCode: code, reason: "getsockname")
        }
        self.descriptor = descriptor
        self.localPort = Int(local.port)
        self.eventLoop = eventLoop
    }

    deinit {
        if descriptor >= 0 { closeDescriptor(descriptor) }
    }

    var isOpen: Bool { descriptor >= 0 }

    /// Sends the readable bytes of `buffer` to `address` without blocking.
    /// False when closed or when the kernel refused the datagram.
    @discardableResult
    func send(_ buffer: ByteBuffer, to address: SocketAddress) -> Bool {
        eventLoop.assertInEventLoop()
        guard descriptor >= 0 else { return false }
        let fd = descriptor
        let sent = buffer.withUnsafeReadableBytes { bytes in
            address.withSockAddr { name, length in
                sendto(fd, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), name, socklen_t(length))
            }
        }
        if sent < 0 { refused += 1 }
        return sent >= 0
    }

    /// Reads one datagram into `buffer` without blocking.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Reception {
        eventLoop.assertInEventLoop()
        guard descriptor >= 0 else { return .empty }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(descriptor, buffer.baseAddress, buffer.count, CInt(MSG_DONTWAIT), $0, &length)
            }
        }
        if count < 0 {
            let code = errno
            return code == EAGAIN || code == EWOULDBLOCK || code == EINTR ? .empty : .failed(code)
        }
        guard let source = RTPSource(storage) else { return .empty }
        return .datagram(count: count, source: source)
    }

    /// Closes the socket (on its loop); the port is free when this returns.
    func close() {
        eventLoop.assertInEventLoop()
        guard descriptor >= 0 else { return }
        closeDescriptor(descriptor)
        descriptor = -1
    }
}

/// `close(2)`, out of reach of the `close` methods of sockets.
func closeDescriptor(_ descriptor: CInt) {
    _ = close(descriptor)
}

/// A non-blocking, close-on-exec UDP socket bound to `host:port`; the
/// bind's `IOError` (`EADDRINUSE` for a port another process holds) is
/// thrown as it came.
///
/// No SO_REUSEADDR: on Linux it lets two UDP sockets share a port and the
/// kernel then hands each datagram to one of them, so a second server (or
/// a port range shared by mistake) would silently take another's RTP. A
/// busy port fails the bind instead.
func boundUDPDescriptor(host: String, port: Int) throws -> CInt {
    let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
    let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue) | CInt(SOCK_NONBLOCK.rawValue)
    let descriptor = socket(address.protocol.rawValue, type, 0)
    guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
    let bound = address.withSockAddr { bind(descriptor, $0, socklen_t($1)) }
    guard bound == 0 else {
        let code = errno
        closeDescriptor(descriptor)
        throw IOError(errnoCode: code, reason: "bind")
    }
    return descriptor
}
