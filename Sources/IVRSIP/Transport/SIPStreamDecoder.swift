import NIOCore

/// What a SIP stream carries, frame by frame.
enum SIPStreamFrame {
    /// One whole message, as `SIPStreamFramer` cut it.
    case message(ByteBuffer)
    /// A keep-alive ping (CRLF CRLF): answer with CRLF (RFC 5626 3.5.1).
    case ping
}

/// The framing error that closes a connection (its reason is logged).
struct SIPStreamFramingError: Error, CustomStringConvertible {
    let description: String
}

/// Cuts a TCP or TLS byte stream into messages with `SIPStreamFramer`, on
/// NIO's `ByteToMessageHandler` (which keeps the bytes of a message still
/// arriving). A message must arrive whole within `messageTimeout`
/// milliseconds of its first byte, else the connection is closed: a slow
/// sender cannot hold it (nor the buffer) for long.
final class SIPStreamDecoder: ByteToMessageDecoder {
    typealias InboundOut = SIPStreamFrame

    let limits: SIPStreamFramer.Limits
    let messageTimeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(limits: SIPStreamFramer.Limits, messageTimeout: TimeAmount) {
        self.limits = limits
        self.messageTimeout = messageTimeout
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch SIPStreamFramer.next(buffer.readableBytesView, limits: limits) {
        case .message(let length):
            stopClock()
            guard let message = buffer.readSlice(length: length) else { return .needMoreData }
            context.fireChannelRead(wrapInboundOut(.message(message)))
            return .continue
        case .ping(let length):
            buffer.moveReaderIndex(forwardBy: length)
            context.fireChannelRead(wrapInboundOut(.ping))
            return .continue
        case .skip(let length):
            buffer.moveReaderIndex(forwardBy: length)
            return .continue
        case .needMore(let idle):
            if idle { stopClock() } else { startClock(context) }
            return .needMoreData
        case .invalid(let why):
            stopClock()
            throw SIPStreamFramingError(description: why)
        }
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        stopClock()
        return .needMoreData  // a message cut off by the peer's close is dropped
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopClock()
    }

    private func startClock(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let channel = context.channel
        let timeout = messageTimeout
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            channel.pipeline.fireErrorCaught(SIPStreamFramingError(
                description: "a message took longer than \(timeout.nanoseconds / 1_000_000) ms to arrive"))
        }
    }

    private func stopClock() {
        deadline?.cancel()
        deadline = nil
    }
}
