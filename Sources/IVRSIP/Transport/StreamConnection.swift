import NIOCore

/// One TCP or TLS connection of an endpoint, inbound (accepted) or
/// outbound (opened to send a request or a response). Writes made while an
/// outbound connection is still opening wait in `pending` (bounded).
// NOTE: created, read and changed only on the endpoint's event loop, where
// all its channel's handlers run; `@unchecked Sendable` lets closures on
// that loop carry it.
final class StreamConnection: @unchecked Sendable {
    let peer: SIPPeer
    let inbound: Bool
    /// The host name a TLS server's certificate must name (outbound only).
    let serverName: String?
    private(set) var channel: Channel?
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    /// The last whole message or keep-alive received (or when it opened).
    var lastActivity = NIODeadline.now()
    /// The TLS handshake or the outbound connect has not finished in time.
    var handshakeTimer: Scheduled<Void>?
    private(set) var closed = false
    /// Why it failed (connect, TLS, framing), for the requests it ends.
    var failure: String?
    /// Messages dropped because the connection was still opening and `pending` was full.
    private(set) var dropped = 0

    init(peer: SIPPeer, inbound: Bool, serverName: String? = nil, channel: Channel? = nil) {
        self.peer = peer
        self.inbound = inbound
        self.serverName = serverName
        self.channel = channel
    }

    /// Sends `bytes` now, or once the connection is open.
    func write(_ bytes: [UInt8], maxPending: Int) {
        guard !closed else { return }
        if let channel {
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            channel.writeAndFlush(buffer, promise: nil)
            return
        }
        guard pendingBytes + bytes.count <= maxPending else {
            dropped += 1
            return
        }
        pendingBytes += bytes.count
        pending.append(ByteBuffer(bytes: bytes))
    }

    /// The outbound connection is open: what waited goes out, in order.
    func opened(_ channel: Channel) {
        self.channel = channel
        for buffer in pending { channel.write(buffer, promise: nil) }
        channel.flush()
        pending = []
        pendingBytes = 0
    }

    func close() {
        guard !closed else { return }
        closed = true
        handshakeTimer?.cancel()
        pending = []
        channel?.close(promise: nil)
    }

    /// The channel went away (either side closed it).
    func ended() {
        closed = true
        handshakeTimer?.cancel()
        pending = []
    }
}
