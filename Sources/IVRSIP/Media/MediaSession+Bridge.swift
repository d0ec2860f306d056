import NIOCore
import Synchronization

/// A session's part in a bridge (see `MediaBridge`): where its received
/// packets go, whether another leg's packets go out on it, and how those
/// are renumbered into its own stream.
struct BridgeState {
    /// The session this one's received RTP is relayed to (nil: not relayed).
    var forwarding: MediaSession?
    /// Another leg's packets are sent on this session: its own prompts and
    /// silence stop (the RTP clock runs on, so what follows stays continuous).
    var fed = false
    /// Where this session's received audio is recorded, and on which channel.
    var recorder: (recording: BridgeRecording, channel: Int)?
    /// The relayed source the offsets below were set for: a new SSRC (or
    /// the first packet) sets them again so the numbering carries on from
    /// what this session sent before.
    var source: UInt32?
    var sequenceOffset: UInt16 = 0
    var timestampOffset: UInt32 = 0
    /// The next relayed packet starts a talkspurt (RFC 3550 marker bit).
    var markNext = false
    /// Packets sent on this session for the other leg, and those dropped
    /// (held, no telephone-event agreed on this leg, not sendable).
    var relayed = 0
    var dropped = 0
    /// Tasks waiting for the call to hang up (`untilHungUp`), by number.
    var watchers: [Int: CheckedContinuation<Bool, Never>] = [:]
    var nextWatcher = 0
}

/// How the leg a packet came from encodes audio and events.
struct RelaySource: Sendable {
    var codec: SDPNegotiator.Codec
    var eventPayloadType: UInt8?
}

extension MediaSession {
    /// A received packet (already unprotected and accepted, on this
    /// session's loop) while bridged: recorded, and relayed at once to the
    /// other leg. Both legs of a bridge share a loop (`SIPEndpoint.bridge`
    /// opens the B leg's media on the caller's), so the payload goes from
    /// the receive buffer into the other leg's packet without a copy in
    /// between; a leg on another loop gets a copy, sent there.
    func bridged<Bytes: RandomAccessCollection<UInt8>>(_ header: RTPPacket.Header, in bytes: Bytes) where Bytes.Index == Int {
        let payload = header.payload(in: bytes)
        let isEvent = eventPayloadType != nil && header.payloadType == eventPayloadType
        if let (recording, channel) = bridge.recorder, !isEvent {
            recording.add(G711.decode(Array(payload), codec: codec), channel: channel, ssrc: header.ssrc,
                          timestamp: header.timestamp)
        }
        guard let target = bridge.forwarding else { return }
        let source = RelaySource(codec: codec, eventPayloadType: eventPayloadType)
        if target.eventLoop.inEventLoop {
            target.relay(header, payload: payload, from: source)
        } else {
            let copy = Array(payload)
            target.eventLoop.execute { target.relay(header, payload: copy, from: source) }
        }
    }

    /// Sends the other leg's packet (`header`, `payload`) on this session (on its loop): this
    /// session's SSRC; its sequence number and timestamp carried on from
    /// what it sent before, moved by what the source moved; the audio
    /// transcoded when the codecs differ; an RFC 4733 event with this leg's
    /// telephone-event payload type; SRTP-protected when this leg is.
    /// Nothing goes toward a leg that does not receive (hold) or that
    /// agreed no telephone-event (events).
    func relay<Payload: Collection<UInt8>>(_ packet: RTPPacket.Header, payload: Payload, from source: RelaySource) {
        guard !closed, bridge.fed else { return }
        guard sendEnabled, !srtpBroken, let remote else {
            bridge.dropped += 1
            return
        }
        let outType: UInt8
        let transcode: [UInt8]?
        if source.eventPayloadType != nil, packet.payloadType == source.eventPayloadType {
            guard let ept = eventPayloadType else {
                bridge.dropped += 1
                return
            }
            outType = ept
            transcode = nil
        } else {
            outType = payloadType
            transcode = G711.table(from: source.codec, to: codec)
        }
        if bridge.source != packet.ssrc {
            bridge.source = packet.ssrc
            bridge.sequenceOffset = sequence &- packet.sequenceNumber
            bridge.timestampOffset = timestamp &- packet.timestamp
            bridge.markNext = true
        }
        let sequenceNumber = packet.sequenceNumber &+ bridge.sequenceOffset
        let marker = packet.marker || bridge.markNext || firstPacket
        bridge.markNext = false
        outgoing.clear()
        outgoing.writeInteger(UInt8(0x80))
        outgoing.writeInteger((marker ? 0x80 : 0) | outType)
        outgoing.writeInteger(sequenceNumber)
        outgoing.writeInteger(packet.timestamp &+ bridge.timestampOffset)
        outgoing.writeInteger(ssrc)
        if let transcode {
            outgoing.writeBytes(payload.lazy.map { transcode[Int($0)] })
        } else {
            outgoing.writeBytes(payload)
        }
        if protectOutgoing() {
            socket.send(outgoing, to: remote)
            packetsSent += 1
            bridge.relayed += 1
        } else {
            bridge.dropped += 1
        }
        firstPacket = false
        // A late (reordered) packet does not move the stream back.
        if Int16(bitPattern: sequenceNumber &- sequence) >= 0 { sequence = sequenceNumber &+ 1 }
    }

    /// A key the other leg sent as SIP INFO, sent on this session as one
    /// RFC 4733 event (a start, an update and three end packets, 100 ms,
    /// at the current RTP time). The next relayed packet starts a new
    /// talkspurt numbered after them.
    func relayKey(_ key: Character) {
        guard !closed, bridge.fed else { return }
        guard sendEnabled, !srtpBroken, let remote, let ept = eventPayloadType, let event = TelephoneEvent.event(forKey: key) else {
            bridge.dropped += 1
            return
        }
        let start = timestamp
        for (i, (end, duration)) in [(false, 160), (false, 480), (true, 800), (true, 800), (true, 800)].enumerated() {
            outgoing.clear()
            outgoing.writeInteger(UInt8(0x80))
            outgoing.writeInteger((i == 0 ? 0x80 : 0) | ept)
            outgoing.writeInteger(sequence)
            outgoing.writeInteger(start)
            outgoing.writeInteger(ssrc)
            outgoing.writeBytes(TelephoneEvent(event: event, end: end, duration: UInt16(duration)).payload)
            if protectOutgoing() {
                socket.send(outgoing, to: remote)
                packetsSent += 1
            }
            sequence &+= 1
        }
        bridge.relayed += 1
        bridge.source = nil
    }

    /// Starts or stops relaying this session's received packets to `target`
    /// (nil: stop), and recording them (on this session's loop).
    func setForwarding(_ target: MediaSession?, recorder: (BridgeRecording, Int)?) async {
        _ = try? await onLoop {
            self.bridge.forwarding = target
            self.bridge.recorder = recorder
            return true
        }
    }

    /// Makes this session carry another leg's packets (`fed`): its playback
    /// stops and its pending wait for playback ends; or, `fed` false, its
    /// own sender takes over again (silence until a prompt plays).
    func setFed(_ fed: Bool) async {
        _ = try? await onLoop {
            self.bridge.fed = fed
            self.bridge.source = nil
            if fed {
                self.looping = nil
                self.playout = []
                self.playing = false
                self.wake()
            }
            return true
        }
    }

    /// Returns true once the call hangs up (or the session closes); false
    /// when the waiting task is cancelled first. Unlike `wait`, any number
    /// of tasks may watch at once, beside the flow's own wait, and a
    /// cancelled watch does not hang the call up.
    public func untilHungUp() async -> Bool {
        let id = Mutex(-1)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                eventLoop.execute {
                    if self.hungUp || self.closed { return continuation.resume(returning: true) }
                    let n = self.bridge.nextWatcher
                    self.bridge.nextWatcher += 1
                    self.bridge.watchers[n] = continuation
                    let cancelled = id.withLock { old in
                        defer { old = n }
                        return old == -2
                    }
                    if cancelled { self.bridge.watchers.removeValue(forKey: n)?.resume(returning: false) }
                }
            }
        } onCancel: {
            let registered = id.withLock { old in
                defer { if old == -1 { old = -2 } }
                return old
            }
            if registered >= 0 {
                eventLoop.execute { self.bridge.watchers.removeValue(forKey: registered)?.resume(returning: false) }
            }
        }
    }

    /// Ends every `untilHungUp` (on the loop, once hung up or closed).
    func releaseWatchers() {
        let watchers = bridge.watchers
        bridge.watchers = [:]
        for w in watchers.values { w.resume(returning: true) }
    }

    /// The codec the leg agreed (it may change with a re-INVITE).
    public func currentCodec() async -> SDPNegotiator.Codec {
        (try? await onLoop { self.codec }) ?? .pcmu
    }

    /// True once the call hung up or the session closed.
    public func isHungUp() async -> Bool {
        (try? await onLoop { self.hungUp || self.closed }) ?? true
    }

    /// Packets relayed from the other leg and sent on this one, and dropped.
    public func relayCounters() async -> (relayed: Int, dropped: Int) {
        (try? await onLoop { (self.bridge.relayed, self.bridge.dropped) }) ?? (0, 0)
    }
}
