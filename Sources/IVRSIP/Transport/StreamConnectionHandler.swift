import NIOCore
import NIOTLS

/// The last handler of a TCP or TLS connection's pipeline: hands each
/// framed message to the endpoint, answers keep-alive pings with CRLF
/// (RFC 5626 3.5.1), ends the TLS handshake clock, and tells the endpoint
/// when the connection is gone. Any error (framing, TLS, a slow sender)
/// closes the connection.
final class StreamConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = SIPStreamFrame
    typealias OutboundOut = ByteBuffer

    let box: EndpointBox
    let connection: StreamConnection

    init(box: EndpointBox, connection: StreamConnection) {
        self.box = box
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.lastActivity = .now()
        switch unwrapInboundIn(data) {
        case .message(let buffer):
            box.endpoint.received(buffer.readableBytesView, from: connection.peer)
        case .ping:
            var pong = context.channel.allocator.buffer(capacity: 2)
            pong.writeStaticString("\r\n")
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            connection.handshakeTimer?.cancel()
            connection.handshakeTimer = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        box.endpoint.streamEnded(connection)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        box.endpoint.streamFailed(connection, error)
        context.close(promise: nil)
    }
}
