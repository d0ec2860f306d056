import NIOCore
import NIOPosix

/// A bound UDP socket on SwiftNIO (`DatagramBootstrap`): datagrams in go to
/// a callback on the socket's event loop, datagrams out are written from
/// any thread. Used for the SIP port and for each call's RTP port.
public final class UDPSocket: Sendable {
    /// Called on `eventLoop` for every datagram, with its bytes and sender.
    public typealias Receiver = @Sendable ([UInt8], SocketAddress) -> Void

    public let channel: Channel
    public var eventLoop: EventLoop { channel.eventLoop }
    public var localAddress: SocketAddress? { channel.localAddress }
    public var localPort: Int { channel.localAddress?.port ?? 0 }

    private init(channel: Channel) { self.channel = channel }

    /// Datagrams larger than this are dropped unread (a SIP message over UDP
    /// must fit 65535 bytes; RTP packets are ~200 bytes).
    public static let maxDatagram = 65_536

    public static func bind(host: String, port: Int, group: EventLoopGroup, receiver: @escaping Receiver) async throws -> UDPSocket {
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: maxDatagram))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler(receiver: receiver))
                }
            }
            .bind(host: host, port: port).get()
        return UDPSocket(channel: channel)
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

    public func closeNow() {
        channel.close(promise: nil)
    }
}

/// Hands each datagram to the receiver; read errors (ICMP port unreachable
/// reported on a later read) are swallowed so the socket stays open.
private final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let receiver: UDPSocket.Receiver

    init(receiver: @escaping UDPSocket.Receiver) { self.receiver = receiver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var buffer = envelope.data
        guard let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        receiver(bytes, envelope.remoteAddress)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}
