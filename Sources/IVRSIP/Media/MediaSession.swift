import NIOCore

/// One call's audio: its RTP socket, the 20 ms sender, received DTMF and
/// audio, and the waits the call's backend performs on them.
///
/// Concurrency: every mutable property is read and written only on
/// `eventLoop` (the RTP socket's loop); public entry points hop onto it.
/// That confinement is what makes the `@unchecked Sendable` sound.
///
/// Pacing: packet `n` is due at `start + n * 20 ms` on NIO's monotonic
/// clock (each deadline is computed from the start, so scheduling delays
/// never accumulate). While no prompt plays, silence is sent, so the
/// stream is continuous; the first packet carries the marker bit.
public final class MediaSession: @unchecked Sendable {
    public static let frameSamples = 160
    static let frame = TimeAmount.milliseconds(20)
    /// Keys buffered beyond this are dropped (type-ahead is short).
    static let maxBufferedKeys = 64

    public let eventLoop: EventLoop
    let socket: UDPSocket
    public let localPort: Int
    let release: @Sendable () -> Void

    // Remote end and codec (re-INVITEs may change them).
    var remote: SocketAddress?
    var remoteIP: String?
    /// The source RTP is accepted from (see `received`).
    var latched: SocketAddress?
    var codec: SDPNegotiator.Codec
    var payloadType: UInt8
    var eventPayloadType: UInt8?
    var sendEnabled = true

    // Sender state.
    let ssrc = UInt32.random(in: 1...UInt32.max)
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var firstPacket = true
    var tickStart = NIODeadline.now()
    var tick: Int64 = 0
    var ticker: Scheduled<Void>?
    var playout: ArraySlice<Int16> = []
    var playing = false

    // Receiver state.
    var keys: [Character] = []
    var eventFilter = TelephoneEventFilter()
    var recording: Recording?
    var recordingTimer: Scheduled<Void>?
    public internal(set) var packetsSent = 0
    public internal(set) var packetsReceived = 0
    public internal(set) var packetsRejected = 0

    // The one wait in progress (the call's flow is sequential).
    var waiter: (interest: MediaInterest, continuation: CheckedContinuation<MediaEvent, Never>, timer: Scheduled<Void>?)?
    var hungUp = false
    var closed = false

    init(socket: UDPSocket, agreement: SDPNegotiator.Agreement, release: @escaping @Sendable () -> Void) {
        self.socket = socket
        self.eventLoop = socket.eventLoop
        self.localPort = socket.localPort
        self.release = release
        codec = agreement.codec
        payloadType = UInt8(agreement.payloadType)
        eventPayloadType = agreement.eventPayloadType.map(UInt8.init)
        applyRemote(agreement)
    }

    /// Opens an RTP socket on a port from `ports` and starts sending.
    public static func open(host: String, ports: PortAllocator, group: EventLoopGroup,
                            agreement: SDPNegotiator.Agreement) async throws -> MediaSession {
        let box = SessionBox()
        var lastError: Error = MediaError.noPorts
        for _ in 0..<8 {
            guard let port = ports.allocate() else { throw MediaError.noPorts }
            do {
                let socket = try await UDPSocket.bind(host: host, port: port, group: group) { bytes, from in
                    box.session?.received(bytes, from: from)
                }
                let session = MediaSession(socket: socket, agreement: agreement, release: { ports.release(port) })
                box.session = session
                socket.eventLoop.execute { session.startSending() }
                return session
            } catch {
                ports.release(port)
                lastError = error
            }
        }
        throw lastError
    }

    // MARK: Remote end

    /// Applies a (re-)negotiated agreement: where to send, and whether to send.
    public func update(_ agreement: SDPNegotiator.Agreement) {
        eventLoop.execute {
            self.codec = agreement.codec
            self.payloadType = UInt8(agreement.payloadType)
            self.eventPayloadType = agreement.eventPayloadType.map(UInt8.init)
            self.applyRemote(agreement)
        }
    }

    func applyRemote(_ agreement: SDPNegotiator.Agreement) {
        remoteIP = agreement.remoteAddress
        remote = try? SocketAddress(ipAddress: agreement.remoteAddress, port: agreement.remotePort)
        sendEnabled = agreement.direction == .sendrecv || agreement.direction == .sendonly
    }

    // MARK: Sending

    func startSending() {
        tickStart = .now()
        tick = 0
        scheduleTick()
    }

    func scheduleTick() {
        guard !closed else { return }
        ticker = eventLoop.scheduleTask(deadline: tickStart + .nanoseconds(MediaSession.frame.nanoseconds * tick)) { [self] in
            self.onTick()
        }
    }

    func onTick() {
        guard !closed else { return }
        sendFrame()
        tick += 1
        // After a long stall (> 5 frames), skip ahead instead of bursting.
        let due = (NIODeadline.now() - tickStart).nanoseconds / MediaSession.frame.nanoseconds
        if due - tick > 5 {
            let skipped = due - tick
            timestamp &+= UInt32(truncatingIfNeeded: skipped * Int64(MediaSession.frameSamples))
            tick = due
        }
        scheduleTick()
    }

    func sendFrame() {
        var samples = [Int16](playout.prefix(MediaSession.frameSamples))
        playout = playout.dropFirst(MediaSession.frameSamples)
        let finished = playing && playout.isEmpty
        if samples.count < MediaSession.frameSamples {
            samples += [Int16](repeating: 0, count: MediaSession.frameSamples - samples.count)
        }
        if sendEnabled, let remote {
            let packet = RTPPacket(marker: firstPacket, payloadType: payloadType, sequenceNumber: sequence,
                                   timestamp: timestamp, ssrc: ssrc, payload: G711.encode(samples, codec: codec))
            socket.send(packet.encoded(), to: remote)
            firstPacket = false
            sequence &+= 1
            packetsSent += 1
        }
        timestamp &+= UInt32(MediaSession.frameSamples)
        if finished {
            playing = false
            wake()
        }
    }

    /// Replaces what is playing with `samples` (nothing: stops playback).
    public func startPlayback(_ samples: [Int16]) {
        eventLoop.execute {
            self.playout = samples[...]
            self.playing = !samples.isEmpty
            if samples.isEmpty { self.wake() }
        }
    }

    public func stopPlayback() {
        eventLoop.execute {
            self.playout = []
            self.playing = false
        }
    }

    // MARK: Receiving

    func received(_ bytes: [UInt8], from address: SocketAddress) {
        guard !closed, let packet = try? RTPPacket.decode(bytes) else {
            packetsRejected += 1
            return
        }
        // Symmetric RTP latching: the first source sending one of the
        // negotiated payload types is the peer (NAT, multi-homed peers whose
        // SDP names another interface); the SDP's address may take over;
        // anything else is dropped.
        guard packet.payloadType == payloadType || packet.payloadType == eventPayloadType else {
            packetsRejected += 1
            return
        }
        if latched == nil || address.ipAddress == remoteIP {
            if latched != address {
                latched = address
                remote = address
            }
        } else if latched != address {
            packetsRejected += 1
            return
        }
        packetsReceived += 1
        if let ept = eventPayloadType, packet.payloadType == ept {
            if let key = eventFilter.key(for: packet) { keyPressed(key) }
        } else if packet.payloadType == payloadType {
            recordAudio(packet.payload)
        }
    }

    /// A key from RFC 4733 or SIP INFO.
    public func press(_ key: Character) {
        eventLoop.execute { self.keyPressed(key) }
    }

    func keyPressed(_ key: Character) {
        if recordingConsumes(key) { return }
        if keys.count < MediaSession.maxBufferedKeys { keys.append(key) }
        wake()
    }
}

/// Why media could not start.
public enum MediaError: Error, Sendable, CustomStringConvertible {
    case noPorts
    public var description: String { "no free RTP port in the range" }
}

/// Lets the socket's receive callback find its session once it exists.
final class SessionBox: @unchecked Sendable {
    // NOTE: written once on the opening task before the first tick is
    // scheduled, read on the socket's loop; a datagram arriving before the
    // write just sees nil and is dropped.
    var session: MediaSession?
}
