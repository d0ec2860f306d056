import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends datagrams straight to the kernel with `sendto(2)`, on a duplicate
/// of a socket's descriptor, instead of through NIO's channel pipeline.
///
/// An RTP port sends one 172-byte packet every 20 ms per call, and a bridge
/// relays two per 20 ms; through the pipeline each costs a boxed envelope,
/// a pending-writes queue entry and a flush before the `sendmsg`. Here it
/// costs the `sendto` alone. Reading stays with NIO (`UDPSocket`).
///
/// Why a duplicate: NIO closes its descriptor when the channel closes, and
/// the number may then be reused at once by another socket or file; a send
/// on the old number would go there. This sender's own descriptor stays
/// valid until `close()`, so a send can never reach the wrong socket. The
/// port stays bound until both are closed (`UDPSocket.closeNow` closes
/// both).
///
/// Concurrency: used only on the socket's event loop (`send`, `close`),
/// which is what makes the `@unchecked Sendable` sound.
final class DatagramSender: @unchecked Sendable {
    private var descriptor: CInt
    let eventLoop: EventLoop
    /// Datagrams the kernel refused (a full send buffer: `EAGAIN`, `ENOBUFS`;
    /// an unreachable route); RTP is best effort, so they are counted only.
    private(set) var refused = 0

    /// Duplicates `descriptor` (close-on-exec); throws the `dup` error.
    init(duplicating descriptor: CInt, eventLoop: EventLoop) throws {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw IOError(errnoCode: errno, reason: "fcntl(F_DUPFD_CLOEXEC)") }
        self.descriptor = copy
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

    /// Closes this sender's descriptor (the channel keeps its own).
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
