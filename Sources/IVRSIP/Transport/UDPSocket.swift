import NIOCore
import NIOPosix

/// A bound UDP socket on SwiftNIO (`DatagramBootstrap`): datagrams in go to
/// a callback on the socket's event loop, datagrams out are written from
/// any thread. Used for the SIP ports; a call's RTP port is an `RTPSocket`,
/// read by its loop's `MediaClock`.
///
/// Receiving copies nothing: the receiver gets the `ByteBuffer` NIO read the
/// datagram into, and the parsers (`SIPParser.parse`, `RTPPacket.decode`)
/// read its `readableBytesView` in place. Errors the channel reports go to
/// the owner as a `Failure` (see there for which ones leave the socket open).
public final class UDPSocket: Sendable {
    /// Called on `eventLoop` for every datagram, with the buffer it was read
    /// into and its sender.
    public typealias Receiver = @Sendable (ByteBuffer, SocketAddress) -> Void
    /// Called on `eventLoop` for every error the channel reports.
    public typealias FailureHandler = @Sendable (Failure) -> Void

    public let channel: Channel
    public var eventLoop: EventLoop { channel.eventLoop }
    public var localAddress: SocketAddress? { channel.localAddress }
    public var localPort: Int { channel.localAddress?.port ?? 0 }

    private init(channel: Channel) {
        self.channel = channel
    }

    /// The SIP socket's read buffer: a SIP message over UDP must fit 65,535
    /// bytes (the largest UDP payload is 65,507), so every datagram is read whole.
    public static let maxDatagram = 65_536

    /// How a socket reads: its per-read buffer and its kernel receive buffer.
    public struct Options: Sendable {
        /// Bytes read per datagram; longer datagrams are cut to this length.
        public var readSize: Int
        /// SO_RCVBUF in bytes (0: the system default). The kernel may cap it
        /// (net.core.rmem_max on Linux).
        public var receiveBuffer: Int
        /// Datagrams read per readiness event (NIO's `maxMessagesPerRead`).
        /// NIO reads until the socket is empty or this many were read, so
        /// a socket that gets one datagram at a time pays a second `recvmsg`
        /// (the one that finds it empty) for every datagram unless this is 1;
        /// NIO's epoll is level-triggered, so what is left is read on the
        /// next turn of the loop.
        public var readsPerEvent: Int

        public init(readSize: Int = UDPSocket.maxDatagram, receiveBuffer: Int = 0, readsPerEvent: Int = 4) {
            self.readSize = readSize
            self.receiveBuffer = receiveBuffer
            self.readsPerEvent = readsPerEvent
        }

        /// The SIP port: whole datagrams, and a 4 MB buffer so a burst of
        /// INVITEs or BYEs is queued rather than dropped.
        public static let sip = Options(readSize: UDPSocket.maxDatagram, receiveBuffer: 4 << 20)
    }

    public static func bind(host: String, port: Int, group: EventLoopGroup, options: Options = .sip,
                            failed: @escaping FailureHandler, receiver: @escaping Receiver) async throws -> UDPSocket {
        try await bindFuture(host: host, port: port, group: group, options: options, failed: failed, receiver: receiver).get()
    }

    /// Binds on the group's next loop (pass one `EventLoop` to choose it).
    public static func bindFuture(host: String, port: Int, group: EventLoopGroup, options: Options = .sip,
                                  failed: @escaping FailureHandler, receiver: @escaping Receiver) -> EventLoopFuture<UDPSocket> {
        // No SO_REUSEADDR: on Linux it lets two UDP sockets share a port and
        // the kernel then hands each datagram to one of them, so a second
        // server (or a port range shared by mistake) would silently take
        // another's calls. A busy port fails the bind instead.
        let loop = group.next()
        var bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: options.readSize))
            .channelOption(.maxMessagesPerRead, value: UInt(max(1, options.readsPerEvent)))
        if options.receiveBuffer > 0 {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(options.receiveBuffer))
        }
        bootstrap = bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(DatagramHandler(receiver: receiver, failed: failed))
            }
        }
        return bootstrap.bind(host: host, port: port).map { UDPSocket(channel: $0) }
    }

    /// Sends one datagram; errors (unreachable peer, closed socket) are ignored: UDP is best effort.
    public func send(_ bytes: [UInt8], to address: SocketAddress) {
        let channel = self.channel
        let send: @Sendable () -> Void = {
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
        }
        if channel.eventLoop.inEventLoop { send() } else { channel.eventLoop.execute(send) }
    }

    public func close() async {
        try? await channel.close().get()
    }
}

/// Hands each datagram's buffer to the receiver, and each error to the
/// owner before passing it on down the pipeline (`fireErrorCaught`, as every
/// NIO handler does; this one is last, so NIO's tail drops it). As the last
/// handler it also applies NIO's rule for errors nobody recovers from: a
/// transient one (`UDPSocket.Failure.isTransient`) leaves the socket open,
/// any other closes it (NIO's datagram channel has already closed itself
/// after such a read error; this makes it so for any other error too).
private final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let receiver: UDPSocket.Receiver
    let failed: UDPSocket.FailureHandler

    init(receiver: @escaping UDPSocket.Receiver, failed: @escaping UDPSocket.FailureHandler) {
        self.receiver = receiver
        self.failed = failed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        receiver(envelope.data, envelope.remoteAddress)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let failure = UDPSocket.Failure(error)
        failed(failure)
        context.fireErrorCaught(error)
        if !failure.isTransient { context.close(promise: nil) }
    }
}
