import NIOCore
import NIOPosix

/// The baselines: N paced RTP streams with no SIP stack, no interpreter and
/// no audio work. Each stream has its own UDP channel (as each call has its
/// own RTP port) on an event loop group of one thread per core, and sends
/// one precomputed 172-byte PCMU packet (sequence number and timestamp
/// patched) every 20 ms, timed in one of two ways:
/// - `perStream`: a self-rescheduling NIO task per stream, due at
///   `start + n * 20 ms`; stream `i` starts `i * 20 ms / N` after the
///   first, so sends are spread over each 20 ms the way calls set up one
///   after another spread them;
/// - `perLoop`: one 1 ms NIO task per event loop sending the streams of one
///   of 20 slots (stream `i` in slot `i mod 20`), the scheme of ivrc's
///   `MediaClock`, with nothing else around it.
final class BarePacer: Sendable {
    enum Timing: Sendable { case perStream, perLoop }

    let streams: [PacedStream]
    let group: MultiThreadedEventLoopGroup
    let timing: Timing

    init(count: Int, timing: Timing, destination: @Sendable (Int) -> Int) async throws {
        self.timing = timing
        group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        var streams: [PacedStream] = []
        for i in 0..<count {
            let channel = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: destination(i))
            streams.append(PacedStream(channel: channel, target: target, index: i))
        }
        self.streams = streams
    }

    /// Source ports, stream by stream.
    var ports: [Int] { streams.map { $0.channel.localAddress?.port ?? 0 } }

    func start() {
        let first = NIODeadline.now() + .milliseconds(20)
        switch timing {
        case .perStream:
            for s in streams {
                let offset = TimeAmount.nanoseconds(20_000_000 * Int64(s.index) / Int64(streams.count))
                s.channel.eventLoop.execute { s.start(at: first + offset) }
            }
        case .perLoop:
            var byLoop: [ObjectIdentifier: [PacedStream]] = [:]
            for s in streams { byLoop[ObjectIdentifier(s.channel.eventLoop), default: []].append(s) }
            for members in byLoop.values {
                let ticker = LoopTicker(streams: members, start: first)
                ticker.loop.execute { ticker.schedule() }
            }
        }
    }

    func stop() async {
        for s in streams { try? await s.channel.eventLoop.submit { s.stop() }.get() }
        // (A LoopTicker stops by itself once its streams are stopped.)
        for s in streams { try? await s.channel.close().get() }
        try? await group.shutdownGracefully()
    }
}

/// One baseline stream. Its mutable state is touched only on its channel's
/// event loop, which makes the `@unchecked Sendable` sound.
final class PacedStream: @unchecked Sendable {
    let channel: Channel
    let target: SocketAddress
    let index: Int
    var packet: [UInt8]
    var start = NIODeadline.now()
    var tick: Int64 = 0
    var sequence: UInt16 = 0
    var timestamp: UInt32 = 0
    var next: Scheduled<Void>?
    var stopped = false

    init(channel: Channel, target: SocketAddress, index: Int) {
        self.channel = channel
        self.target = target
        self.index = index
        // V=2, PT 0, SSRC = index; a payload that is not silence.
        packet = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
        packet += (0..<160).map { UInt8(truncatingIfNeeded: $0 * 7) }
    }

    func start(at deadline: NIODeadline) {
        start = deadline
        schedule()
    }

    func schedule() {
        guard !stopped else { return }
        next = channel.eventLoop.scheduleTask(deadline: start + .nanoseconds(20_000_000 * tick)) { [self] in
            self.send()
            self.tick += 1
            self.schedule()
        }
    }

    func send() {
        packet[2] = UInt8(sequence >> 8)
        packet[3] = UInt8(sequence & 0xFF)
        for k in 0..<4 { packet[4 + k] = UInt8((timestamp >> UInt32(24 - 8 * k)) & 0xFF) }
        var buffer = channel.allocator.buffer(capacity: packet.count)
        buffer.writeBytes(packet)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer), promise: nil)
        sequence &+= 1
        timestamp &+= 160
    }

    func stop() {
        stopped = true
        next?.cancel()
    }
}

/// One event loop's 1 ms ticker for the `perLoop` baseline. Touched only on
/// its loop, which makes the `@unchecked Sendable` sound.
final class LoopTicker: @unchecked Sendable {
    let loop: EventLoop
    let slots: [[PacedStream]]
    let start: NIODeadline
    let sentinel: PacedStream
    var tick: Int64 = 0

    init(streams: [PacedStream], start: NIODeadline) {
        loop = streams[0].channel.eventLoop
        sentinel = streams[0]
        var slots = [[PacedStream]](repeating: [], count: 20)
        for s in streams { slots[s.index % 20].append(s) }
        self.slots = slots
        self.start = start
    }

    func schedule() {
        loop.scheduleTask(deadline: start + .nanoseconds(1_000_000 * tick)) { [self] in
            guard !sentinel.stopped else { return }  // `stop` stops every stream
            let due = (NIODeadline.now() - start).nanoseconds / 1_000_000
            while tick <= due {
                for s in slots[Int(tick % 20)] where !s.stopped { s.send() }
                tick += 1
            }
            schedule()
        }
    }
}
