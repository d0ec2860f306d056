import Foundation
import NIOCore

/// One call's audio: its RTP socket, the 20 ms sender, received DTMF and
/// audio, and the waits the call's backend performs on them.
///
/// Concurrency: every mutable property is read and written only on
/// `eventLoop` (the RTP socket's loop); public entry points hop onto it.
/// That confinement is what makes the `@unchecked Sendable` sound.
///
/// Pacing: the loop's `MediaClock` calls `sendFrame` every 20 ms (one
/// timer per loop, deadlines computed from its start, so delays never
/// accumulate). A frame is encoded by table straight into a reused buffer
/// with the RTP header. While no prompt plays, silence is sent, so the
/// stream is continuous; the first packet carries the marker bit.
///
/// Receiving: see `received` for which sources are accepted.
///
/// SRTP: when the agreement carries keys, every packet is protected in
/// place in `outgoing` before it is sent, and every datagram is
/// unprotected (in `incoming`) before anything else reads it, DTMF events
/// included; one that does not unprotect is dropped and counted by why
/// (`SRTPSession.Drops`). Keys that libsrtp cannot take leave the session
/// silent both ways rather than in the clear.
public final class MediaSession: @unchecked Sendable {
    public static let frameSamples = 160
    /// Keys buffered beyond this are dropped (type-ahead is short).
    static let maxBufferedKeys = 64
    /// RTP payloads larger than this are refused (G.711 at 20 ms is 160
    /// bytes, at 120 ms 960); datagrams cut at the socket's 2,048-byte read
    /// size land here too.
    static let maxPayload = 1_200

    public let eventLoop: EventLoop
    let socket: RTPSocket
    public let localPort: Int
    let clock: MediaClock
    let release: @Sendable () -> Void

    // Remote end and codec (re-INVITEs may change them).
    var remote: SocketAddress?
    var remoteIP: String?
    /// The source RTP is accepted from (see `received`).
    var latched: RTPSource?
    var codec: SDPNegotiator.Codec
    var payloadType: UInt8
    var eventPayloadType: UInt8?
    var sendEnabled = true

    // SRTP (see the type's comment).
    var srtp: SRTPSession?
    var srtpAgreement: SRTPAgreement?
    /// Keys were agreed but libsrtp could not be keyed: nothing is sent or taken.
    var srtpBroken = false
    /// Drops counted by the contexts a re-key replaced.
    var srtpDroppedBefore = SRTPSession.Drops()
    /// The receive scratch buffer for unprotecting, reused.
    var incoming: [UInt8] = []

    // Sender state.
    let ssrc = UInt32.random(in: 1...UInt32.max)
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var firstPacket = true
    /// The clock slot this session is sent in (nil: not paced).
    var slot: Int?
    /// The packet buffer, reused once the previous datagram is written.
    var outgoing: ByteBuffer
    var playout: ArraySlice<Int16> = []
    var playing = false
    /// What playback starts over with when it runs out (`startLoop`).
    var looping: [Int16]?

    // Receiver state.
    var keys: [Character] = []
    /// A key to drop if it is the next one pressed before the deadline: a
    /// capture's terminator pressed after its `max` digits (`discardNext`).
    var discarding: (key: Character, until: NIODeadline)?
    var eventFilter = TelephoneEventFilter()
    var recording: Recording?
    var recordingTimer: Scheduled<Void>?
    public internal(set) var packetsSent = 0
    /// Of `packetsSent`, those the clock sent (and counted in its metrics);
    /// the others (relayed, DTMF) are published when the session closes.
    var pacedPackets = 0
    public internal(set) var packetsReceived = 0
    public internal(set) var packetsRejected = 0
    /// Errors the RTP socket reported: an ICMP "port unreachable" after the
    /// peer stopped listening is usual at the end of a call, so they are
    /// counted, not logged; RTP is best effort either way.
    public internal(set) var socketErrors = 0

    /// Relaying to and from another call's session (`MediaBridge`).
    var bridge = BridgeState()

    // The one wait in progress (the call's flow is sequential).
    var waiter: (interest: MediaInterest, continuation: CheckedContinuation<MediaEvent, Never>, timer: Scheduled<Void>?)?
    var hungUp = false
    /// When the hang-up was learnt (a BYE processed), for durations that
    /// must not grow with how late the flow's task runs afterwards.
    var hungUpAt: Date?
    var closed = false

    init(socket: RTPSocket, clock: MediaClock, agreement: SDPNegotiator.Agreement, release: @escaping @Sendable () -> Void) {
        self.socket = socket
        self.eventLoop = socket.eventLoop
        self.localPort = socket.localPort
        self.clock = clock
        self.release = release
        outgoing = ByteBufferAllocator().buffer(capacity: 12 + MediaSession.frameSamples + SRTPSession.maxTrailer)
        codec = agreement.codec
        payloadType = UInt8(agreement.payloadType)
        eventPayloadType = agreement.eventPayloadType.map(UInt8.init)
        applyRemote(agreement)
        applySRTP(agreement.srtp)
    }

    /// Opens an RTP socket on a port from `ports` (on the group's next loop,
    /// paced and read by that loop's clock from `clocks`) and starts
    /// sending. Runs on NIO futures only, so answering a call never waits
    /// for the Swift concurrency pool.
    ///
    /// A port another process holds (`EADDRINUSE`) is skipped
    /// (`PortAllocator.skipBusy`) and the next free one tried, until every
    /// port of the range was tried once: then `MediaError.noPorts`. Any
    /// other bind error is tried again on other ports up to 8 times.
    public static func open(host: String, ports: PortAllocator, group: EventLoopGroup, clocks: MediaClocks,
                            agreement: SDPNegotiator.Agreement) -> EventLoopFuture<MediaSession> {
        let loop = group.next()
        let clock = clocks.clock(for: loop)
        let budget = ports.capacity
        @Sendable func attempt(_ tries: Int, _ busy: Int) -> EventLoopFuture<MediaSession> {
            guard busy < budget, let port = ports.allocate() else {
                ports.countExhaustion()
                return loop.makeFailedFuture(MediaError.noPorts)
            }
            return loop.submit {
                let socket = try RTPSocket(host: host, port: port, eventLoop: loop)
                let session = MediaSession(socket: socket, clock: clock, agreement: agreement, release: { ports.release(port) })
                do {
                    try clock.add(session)  // on the socket's loop, the clock's loop
                } catch {
                    socket.close()
                    throw error
                }
                return session
            }.flatMapError { error in
                if Self.isAddressInUse(error) {
                    ports.skipBusy(port)
                    return attempt(tries, busy + 1)
                }
                ports.release(port)
                return tries < 8 ? attempt(tries + 1, busy) : loop.makeFailedFuture(error)
            }
        }
        return attempt(1, 0)
    }

    public static func open(host: String, ports: PortAllocator, group: EventLoopGroup, clocks: MediaClocks,
                            agreement: SDPNegotiator.Agreement) async throws -> MediaSession {
        try await open(host: host, ports: ports, group: group, clocks: clocks, agreement: agreement).get()
    }

    // MARK: Remote end

    /// Applies a (re-)negotiated agreement: where to send, and whether to send.
    public func update(_ agreement: SDPNegotiator.Agreement) {
        eventLoop.execute {
            self.codec = agreement.codec
            self.payloadType = UInt8(agreement.payloadType)
            self.eventPayloadType = agreement.eventPayloadType.map(UInt8.init)
            self.applyRemote(agreement)
            self.applySRTP(agreement.srtp)
        }
    }

    func applyRemote(_ agreement: SDPNegotiator.Agreement) {
        remoteIP = agreement.remoteAddress
        remote = try? SocketAddress(ipAddress: agreement.remoteAddress, port: agreement.remotePort)
        sendEnabled = agreement.direction == .sendrecv || agreement.direction == .sendonly
    }

    // MARK: Sending

    /// One 20 ms frame (called by the clock): the next 160 samples of the
    /// prompt, or silence, as one RTP packet to the remote end. True when a
    /// packet went out (the clock counts it; see `pacedPackets`).
    @discardableResult
    func sendFrame() -> Bool {
        guard !closed else { return false }
        if bridge.fed {  // the other leg's packets go out instead (`relay`); the RTP clock runs on
            timestamp &+= UInt32(MediaSession.frameSamples)
            return false
        }
        var sent = false
        if playout.isEmpty, let loop = looping { playout = loop[...] }
        let samples = playout.prefix(MediaSession.frameSamples)
        playout = playout.dropFirst(MediaSession.frameSamples)
        let finished = playing && playout.isEmpty && looping == nil
        if sendEnabled, let remote {
            outgoing.clear()
            outgoing.writeInteger(UInt8(0x80))
            outgoing.writeInteger((firstPacket ? 0x80 : 0) | payloadType)
            outgoing.writeInteger(sequence)
            outgoing.writeInteger(timestamp)
            outgoing.writeInteger(ssrc)
            let codec = self.codec
            outgoing.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaSession.frameSamples) { out in
                G711.encode(samples, codec: codec, into: UnsafeMutableRawBufferPointer(rebasing: out.prefix(MediaSession.frameSamples)))
                return MediaSession.frameSamples
            }
            // SRTP keys that did not take: never in the clear, nothing is sent.
            if !srtpBroken, protectOutgoing() {
                socket.send(outgoing, to: remote)
                packetsSent += 1
                pacedPackets += 1
                sent = true
            }
            firstPacket = false
            sequence &+= 1
        }
        timestamp &+= UInt32(MediaSession.frameSamples)
        if finished {
            playing = false
            wake()
        }
        return sent
    }

    /// The clock skipped `frames` frames after a stall: the RTP clock moves on.
    func skip(frames: Int64) {
        timestamp &+= UInt32(truncatingIfNeeded: frames * Int64(MediaSession.frameSamples))
    }

    /// Replaces what is playing with `samples` (nothing: stops playback).
    public func startPlayback(_ samples: [Int16]) {
        eventLoop.execute {
            self.looping = nil
            self.playout = samples[...]
            self.playing = !samples.isEmpty
            if samples.isEmpty { self.wake() }
        }
    }

    /// Plays `samples` over and over (a ringback cadence) until playback
    /// is replaced or stopped; a wait for the end of playback never ends.
    public func startLoop(_ samples: [Int16]) {
        eventLoop.execute {
            self.looping = samples.isEmpty ? nil : samples
            self.playout = samples[...]
            self.playing = !samples.isEmpty
        }
    }

    public func stopPlayback() {
        eventLoop.execute {
            self.looping = nil
            self.playout = []
            self.playing = false
        }
    }

    // MARK: Receiving

    /// Which sources are accepted (symmetric RTP latching): the first source
    /// sending one of the negotiated payload types is the peer, and RTP goes
    /// back to it (NAT, multi-homed peers whose SDP names another
    /// interface); a source at the SDP's connection address may take over
    /// at any time (so a stranger who sent first loses the stream); any
    /// other source, other payload types, malformed packets and payloads
    /// over `maxPayload` bytes are dropped and counted in `packetsRejected`.
    func received(_ bytes: UnsafeRawBufferPointer, from source: RTPSource) {
        guard !closed, !srtpBroken else { return }
        if let srtp {
            guard bytes.count <= SRTPSession.maxPacket else {
                packetsRejected += 1
                return
            }
            incoming.removeAll(keepingCapacity: true)
            incoming.append(contentsOf: bytes)
            let count = incoming.count
            guard case .success(let length) = incoming.withUnsafeMutableBytes({ srtp.unprotect($0, length: count) }) else {
                return  // counted by the SRTP session
            }
            accept(incoming[..<length], from: source)
        } else {
            accept(bytes, from: source)
        }
    }

    /// A received packet in the clear: its header is read in place, and its
    /// payload copied out only when something reads it (a bridge, a key, a
    /// recording); a call that only sends prompts allocates nothing per
    /// packet received.
    private func accept<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from source: RTPSource) where Bytes.Index == Int {
        guard bytes.count <= 12 + MediaSession.maxPayload, let header = try? RTPPacket.Header(bytes) else {
            packetsRejected += 1
            return
        }
        guard header.payloadType == payloadType || header.payloadType == eventPayloadType else {
            packetsRejected += 1
            return
        }
        // The latched source first: it sends nearly every packet, and
        // comparing addresses costs less than formatting one (`ipAddress`).
        if latched != source {
            guard latched == nil || source.ipAddress == remoteIP, let address = source.socketAddress else {
                packetsRejected += 1
                return
            }
            latched = source
            remote = address
        }
        packetsReceived += 1
        if bridge.forwarding != nil || bridge.recorder != nil {
            bridged(header, in: bytes)
            if bridge.forwarding != nil { return }
        }
        let isEvent = eventPayloadType == header.payloadType
        guard isEvent || recording != nil else { return }
        let packet = header.packet(from: bytes)
        if isEvent {
            if let key = eventFilter.key(for: packet) { keyPressed(key) }
        } else {
            recordAudio(packet.payload)
        }
    }

    /// An error (`errno`) the RTP socket reported on a read (on the
    /// socket's loop); the socket stays open.
    func socketFailed(_ code: CInt) {
        socketErrors += 1
    }

    /// A key from RFC 4733 or SIP INFO. While bridged, it goes to the other
    /// leg as RFC 4733 events instead (`relayKey`).
    public func press(_ key: Character) {
        eventLoop.execute {
            if let target = self.bridge.forwarding {
                target.eventLoop.execute { target.relayKey(key) }
                return
            }
            self.keyPressed(key)
        }
    }

    /// A capture that ended at `max` digits owns its terminator for a while
    /// longer: when `key` is the next key pressed within `milliseconds`, it
    /// is dropped (already buffered: dropped now). Any other key ends that.
    /// The call goes on meanwhile; nothing waits.
    public func discardNext(_ key: Character, within milliseconds: Int) {
        eventLoop.execute {
            if let first = self.keys.first {
                if first == key { self.keys.removeFirst() }
            } else {
                self.discarding = (key, .now() + .milliseconds(Int64(milliseconds)))
            }
        }
    }

    func keyPressed(_ key: Character) {
        if let window = discarding {
            discarding = nil
            if key == window.key, NIODeadline.now() < window.until { return }
        }
        if recordingConsumes(key) { return }
        if keys.count < MediaSession.maxBufferedKeys { keys.append(key) }
        wake()
    }
}

/// Why media could not start.
extension MediaSession {
    /// Whether a bind failed because the port is taken (`EADDRINUSE`).
    static func isAddressInUse(_ error: any Error) -> Bool {
        if let io = error as? IOError { return io.errnoCode == EADDRINUSE }
        return false
    }
}

public enum MediaError: Error, Sendable, CustomStringConvertible {
    case noPorts
    public var description: String { "no free RTP port in the range" }
}
