import Foundation
import IVRRuntime
import IVRTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import IVRSIP

/// The bridge's relay between two media sessions, with two UDP sockets on
/// loopback as the remote phones: tones each way (Goertzel), continuity of
/// each leg's own numbering, PCMU<->PCMA, RFC 4733 events, SRTP, hold.
@Suite(.serialized, .dedicatedExecutor) struct MediaBridgeTests {
    /// One remote phone: its socket and the session (ours) it talks to.
    struct Leg {
        let phone: UDPClient
        let session: MediaSession
    }

    /// Two sessions on two loops (the relay crosses loops), each sending to its phone.
    func legs(_ group: EventLoopGroup, a: SDPNegotiator.Codec = .pcmu, b: SDPNegotiator.Codec = .pcmu,
              aEvent: Int? = 101, bEvent: Int? = 101, bSRTP: SRTPAgreement? = nil, oneLoop: Bool = false) async throws -> (Leg, Leg) {
        let ports = PortAllocator(range: 46_000...46_999)
        let clocks = MediaClocks()
        let loop = group.next()
        func open(_ codec: SDPNegotiator.Codec, _ event: Int?, _ srtp: SRTPAgreement?) async throws -> Leg {
            let phone = UDPClient()
            var agreement = SDPNegotiator.Agreement(codec: codec, payloadType: codec.payloadType, eventPayloadType: event,
                                                    remoteAddress: "127.0.0.1", remotePort: phone.port, direction: .sendrecv)
            agreement.srtp = srtp
            let session = try await MediaSession.open(host: "127.0.0.1", ports: ports, group: oneLoop ? loop : group, clocks: clocks,
                                                      agreement: agreement)
            return Leg(phone: phone, session: session)
        }
        let legA = try await open(a, aEvent, nil)
        let legB = try await open(b, bEvent, bSRTP)
        #expect((legA.session.eventLoop === legB.session.eventLoop) == oneLoop)
        return (legA, legB)
    }

    /// 20 ms frames of a sine at `hz`, as RTP packets of `codec` from `ssrc`.
    static func tonePackets(hz: Double, frames: Int, codec: SDPNegotiator.Codec, ssrc: UInt32,
                            firstSequence: UInt16 = 1000, firstTimestamp: UInt32 = 50_000) -> [RTPPacket] {
        let samples = Tone.sine(hz: hz, milliseconds: 20 * frames)
        return (0..<frames).map { i in
            let frame = samples[(i * 160)..<((i + 1) * 160)]
            return RTPPacket(marker: i == 0, payloadType: UInt8(codec.payloadType), sequenceNumber: firstSequence &+ UInt16(i),
                             timestamp: firstTimestamp &+ UInt32(i * 160), ssrc: ssrc, payload: G711.encode(frame, codec: codec))
        }
    }

    /// The packets a phone received until `count` of them satisfy `keep` (or a generous ceiling).
    static func collect(_ phone: UDPClient, count: Int, srtp: SRTPSession? = nil,
                        keep: (RTPPacket) -> Bool) async -> [(packet: RTPPacket, stamp: Int64)] {
        var kept: [(RTPPacket, Int64)] = []
        while kept.count < count, let (bytes, stamp) = await phone.receiveStamped(timeout: 30) {
            var clear = bytes
            if let srtp {
                guard case .success(let b) = srtp.unprotect(bytes) else { continue }
                clear = b
            }
            guard let p = try? RTPPacket.decode(clear), keep(p) else { continue }
            kept.append((p, stamp))
        }
        return kept
    }

    /// The first packets a session sends before the bridge (its own stream).
    static func ownStream(_ phone: UDPClient, srtp: SRTPSession? = nil) async -> [RTPPacket] {
        await collect(phone, count: 3, srtp: srtp) { _ in true }.map(\.packet)
    }

    static func realtimeNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Goertzel power of `hz` in `samples` at 8 kHz, normalised by length.
    static func power(_ samples: [Int16], hz: Double) -> Double {
        let k = 2 * cos(2 * Double.pi * hz / 8000)
        var (s1, s2) = (0.0, 0.0)
        for x in samples {
            let s = Double(x) + k * s1 - s2
            s2 = s1
            s1 = s
        }
        return (s1 * s1 + s2 * s2 - k * s1 * s2) / Double(max(1, samples.count))
    }

    /// Sends `packets` from `phone` to `session` and checks the far phone
    /// gets them in its own stream: `ssrc` and numbering continuing from
    /// `before`, audio holding `hz` and not `other`.
    func expectRelayed(_ packets: [RTPPacket], from: Leg, to: Leg, before: [RTPPacket], hz: Double, other: Double,
                       codec: SDPNegotiator.Codec, srtp: SRTPSession? = nil) async {
        var sent: [Int64] = []
        for p in packets {
            sent.append(Self.realtimeNanoseconds())
            from.phone.send(p.encoded(), toPort: from.session.localPort)
        }
        let got = await Self.collect(to.phone, count: packets.count, srtp: srtp) {
            $0.payloadType == UInt8(codec.payloadType) && $0.payload.contains { $0 != G711.silence(codec) }
        }
        #expect(got.count == packets.count)
        guard let last = before.last, let first = got.first?.packet else { return }
        #expect(got.allSatisfy { $0.packet.ssrc == last.ssrc }, "the leg's own SSRC")
        #expect(zip(got, got.dropFirst()).allSatisfy { $1.packet.sequenceNumber == $0.packet.sequenceNumber &+ 1 })
        #expect(zip(got, got.dropFirst()).allSatisfy { $1.packet.timestamp == $0.packet.timestamp &+ 160 })
        // Carried on from the leg's own stream (its silence may have run on until the join).
        let seqGap = first.sequenceNumber &- last.sequenceNumber
        #expect(seqGap >= 1 && seqGap < 1000, "sequence \(last.sequenceNumber) then \(first.sequenceNumber)")
        let tsGap = first.timestamp &- last.timestamp
        #expect(tsGap >= 160 && tsGap < 8000 * 60, "timestamp \(last.timestamp) then \(first.timestamp)")
        let audio = got.flatMap { G711.decode($0.packet.payload, codec: codec) }
        let (wanted, unwanted) = (Self.power(audio, hz: hz), Self.power(audio, hz: other))
        #expect(wanted > 100 * unwanted, "\(hz) Hz \(wanted), \(other) Hz \(unwanted)")
        // Sample by sample what was sent, within G.711's steps (twice: a transcoded sample is quantised twice).
        let sentAudio = packets.flatMap { G711.decode($0.payload, codec: packets.first?.payloadType == 8 ? .pcma : .pcmu) }
        let off = zip(sentAudio, audio).filter { abs(Int($0) - Int($1)) > max(32, abs(Int($0)) / 8) }.count
        #expect(audio.count == sentAudio.count && off == 0, "\(off) of \(audio.count) samples differ from what was sent")
        // Added delay, send to receive on loopback (kernel stamps): reported
        // only; its targets live in SIPLoadBenchmark (a busy test machine
        // must not fail a unit test).
        let delays = zip(sent, got.map(\.stamp)).map { Double($1 - $0) / 1_000_000 }.sorted()
        let p99 = delays[min(delays.count - 1, delays.count * 99 / 100)]
        let p50 = delays[delays.count / 2]
        print("relay delay ms: p50 \(p50), p99 \(p99)")
    }

    @Test func tonesBothWaysInEachLegsOwnStream() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group)
        let beforeA = await Self.ownStream(a.phone)
        let beforeB = await Self.ownStream(b.phone)
        let bridge = MediaBridge(caller: a.session, callee: b.session)
        await bridge.join()
        await expectRelayed(Self.tonePackets(hz: 697, frames: 50, codec: .pcmu, ssrc: 0xA1), from: a, to: b,
                            before: beforeB, hz: 697, other: 1209, codec: .pcmu)
        await expectRelayed(Self.tonePackets(hz: 1209, frames: 50, codec: .pcmu, ssrc: 0xB1), from: b, to: a,
                            before: beforeA, hz: 1209, other: 697, codec: .pcmu)
        #expect(await b.session.relayCounters().relayed == 50)
        await bridge.unjoin()
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func pcmuToPCMAAndBack() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group, a: .pcmu, b: .pcma)
        let beforeA = await Self.ownStream(a.phone)
        let beforeB = await Self.ownStream(b.phone)
        #expect(beforeB.first?.payloadType == 8)
        await MediaBridge(caller: a.session, callee: b.session).join()
        await expectRelayed(Self.tonePackets(hz: 697, frames: 25, codec: .pcmu, ssrc: 7), from: a, to: b,
                            before: beforeB, hz: 697, other: 1209, codec: .pcma)
        await expectRelayed(Self.tonePackets(hz: 1209, frames: 25, codec: .pcma, ssrc: 8), from: b, to: a,
                            before: beforeA, hz: 1209, other: 697, codec: .pcmu)
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func aNewSourceCarriesOnTheSameStream() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group)
        let beforeB = await Self.ownStream(b.phone)
        await MediaBridge(caller: a.session, callee: b.session).join()
        await expectRelayed(Self.tonePackets(hz: 697, frames: 10, codec: .pcmu, ssrc: 1), from: a, to: b,
                            before: beforeB, hz: 697, other: 1209, codec: .pcmu)
        // The caller's side switches source (a new SSRC, its own numbering): phone B sees one stream go on.
        for p in Self.tonePackets(hz: 697, frames: 10, codec: .pcmu, ssrc: 2, firstSequence: 60_000, firstTimestamp: 7) {
            a.phone.send(p.encoded(), toPort: a.session.localPort)
        }
        let got = await Self.collect(b.phone, count: 10) { $0.payloadType == 0 }.map(\.packet)
        #expect(got.count == 10)
        #expect(got.allSatisfy { $0.ssrc == beforeB.last?.ssrc })
        #expect(zip(got, got.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        #expect(got.first?.marker == true, "a new source starts a talkspurt")
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    /// One packet at a time, 5 ms apart: the delay the relay adds on
    /// loopback (send to the far phone's kernel receive stamp), with the
    /// legs on one event loop (as a bridge places them) and on two. The
    /// target is p99 under 2 ms; the bound checked is loose (a loaded machine).
    @Test(arguments: [true, false]) func relayDelayPerPacket(oneLoop: Bool) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group, oneLoop: oneLoop)
        _ = await Self.ownStream(b.phone)
        await MediaBridge(caller: a.session, callee: b.session).join()
        _ = await b.phone.drain(quiet: 0.1)
        var delays: [Double] = []
        for p in Self.tonePackets(hz: 697, frames: 200, codec: .pcmu, ssrc: 5) {
            let sent = Self.realtimeNanoseconds()
            a.phone.send(p.encoded(), toPort: a.session.localPort)
            guard let (_, stamp) = await b.phone.receiveStamped(timeout: 10) else { break }
            delays.append(Double(stamp - sent) / 1_000_000)
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(delays.count == 200)
        delays.sort()
        let (p50, p99) = (delays[delays.count / 2], delays[min(delays.count - 1, delays.count * 99 / 100)])
        print("relay delay per packet, \(oneLoop ? "one loop" : "two loops"), ms: p50 \(p50), p99 \(p99), max \(delays.last ?? 0)")
        #expect(p50 < 20)
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func telephoneEventsTakeTheOtherLegsPayloadType() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group, aEvent: 101, bEvent: 96)
        let beforeB = await Self.ownStream(b.phone)
        await MediaBridge(caller: a.session, callee: b.session).join()
        // Key 5: start, update, and three end packets, one timestamp (RFC 4733).
        let events = [(false, 160), (false, 320), (true, 480), (true, 480), (true, 480)].enumerated().map { i, e in
            RTPPacket(marker: i == 0, payloadType: 101, sequenceNumber: 77 &+ UInt16(i), timestamp: 9_000, ssrc: 0x55,
                      payload: TelephoneEvent(event: 5, end: e.0, duration: UInt16(e.1)).payload)
        }
        for p in events { a.phone.send(p.encoded(), toPort: a.session.localPort) }
        let got = await Self.collect(b.phone, count: 5) { $0.payloadType == 96 }.map(\.packet)
        #expect(got.count == 5)
        #expect(got.map(\.payload) == events.map(\.payload))
        #expect(Set(got.map(\.timestamp)).count == 1, "one event, one timestamp")
        #expect(got.first?.marker == true)
        #expect(got.allSatisfy { $0.ssrc == beforeB.last?.ssrc })
        var filter = TelephoneEventFilter()
        #expect(String(got.compactMap { filter.key(for: $0) }) == "5")
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func eventsAreDroppedTowardALegWithoutTelephoneEvent() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group, aEvent: 101, bEvent: nil)
        let beforeB = await Self.ownStream(b.phone)
        await MediaBridge(caller: a.session, callee: b.session).join()
        let event = RTPPacket(payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 3,
                              payload: TelephoneEvent(event: 1, end: true, duration: 400).payload)
        a.phone.send(event.encoded(), toPort: a.session.localPort)
        await expectRelayed(Self.tonePackets(hz: 697, frames: 10, codec: .pcmu, ssrc: 3), from: a, to: b,
                            before: beforeB, hz: 697, other: 1209, codec: .pcmu)
        #expect(await b.session.relayCounters().dropped == 1)
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func srtpOnOneLegOnly() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (ours, theirs) = (SRTPMasterKey.random(), SRTPMasterKey.random())
        let suite = SRTPSuite.aesCM128HMACSHA1_80
        let (a, b) = try await legs(group, bSRTP: SRTPAgreement(suite: suite, tag: 1, localKey: ours, remoteKey: theirs))
        // Phone B's own SRTP context: it sends with its key and receives with ours.
        let phoneB = try SRTPSession(suite: suite, sendKey: theirs, receiveKey: ours)
        let beforeA = await Self.ownStream(a.phone)
        let beforeB = await Self.ownStream(b.phone, srtp: phoneB)
        #expect(beforeB.count == 3)
        await MediaBridge(caller: a.session, callee: b.session).join()
        await expectRelayed(Self.tonePackets(hz: 697, frames: 20, codec: .pcmu, ssrc: 11), from: a, to: b,
                            before: beforeB, hz: 697, other: 1209, codec: .pcmu, srtp: phoneB)
        // Phone B's audio, protected, reaches phone A in the clear.
        var sentB: [RTPPacket] = []
        for p in Self.tonePackets(hz: 1209, frames: 20, codec: .pcmu, ssrc: 12) {
            guard let bytes = phoneB.protect(p.encoded()) else { continue }
            sentB.append(p)
            b.phone.send(bytes, toPort: b.session.localPort)
        }
        #expect(sentB.count == 20)
        let got = await Self.collect(a.phone, count: 20) { $0.payloadType == 0 && $0.payload.contains { $0 != 0xFF } }
        #expect(got.count == 20)
        #expect(got.allSatisfy { $0.packet.ssrc == beforeA.last?.ssrc })
        let audio = got.flatMap { G711.decode($0.packet.payload, codec: .pcmu) }
        #expect(Self.power(audio, hz: 1209) > 100 * Self.power(audio, hz: 697))
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func nothingGoesTowardAHeldLeg() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group)
        _ = await Self.ownStream(b.phone)
        await MediaBridge(caller: a.session, callee: b.session).join()
        // Phone B holds (its re-INVITE said sendonly): we only receive from it.
        b.session.update(SDPNegotiator.Agreement(codec: .pcmu, payloadType: 0, eventPayloadType: 101, remoteAddress: "127.0.0.1",
                                                 remotePort: b.phone.port, direction: .recvonly))
        _ = await b.phone.drain(quiet: 0.2)
        for p in Self.tonePackets(hz: 697, frames: 10, codec: .pcmu, ssrc: 21) { a.phone.send(p.encoded(), toPort: a.session.localPort) }
        var dropped = 0
        for _ in 0..<300 where dropped < 10 {
            dropped = await b.session.relayCounters().dropped
            if dropped < 10 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(dropped == 10)
        #expect(await b.phone.drain(quiet: 0.2).isEmpty)
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    /// Watching for the hang-up beside the flow's own wait: a cancelled
    /// watch returns false and leaves the call up; a hang-up ends every watch.
    @Test func hangUpWatchesEndOnHangUpOrCancellation() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (a, b) = try await legs(group)
        let cancelled = Task { await a.session.untilHungUp() }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(await a.session.isHungUp() == false, "a cancelled watch does not hang the call up")
        let watches = (0..<3).map { _ in Task { await a.session.untilHungUp() } }
        let flowWait = Task { await a.session.wait(keys: true) }
        a.session.callerHungUp()
        for watch in watches { #expect(await watch.value) }
        #expect(await flowWait.value == .hangup)
        #expect(await b.session.isHungUp() == false)
        a.session.close()
        b.session.close()
        try await group.shutdownGracefully()
    }

    @Test func ringbackCadencesHaveTheirTonesAndRhythm() {
        for tone in RingbackTone.allCases {
            let cycle = RingbackCadence.cycle(tone)
            let pattern = RingbackCadence.pattern(tone)
            #expect(cycle.count == pattern.reduce(0) { $0 + $1.milliseconds } * 8)
            var offset = 0
            for part in pattern {
                let slice = Array(cycle[offset..<(offset + part.milliseconds * 8)])
                let loud = slice.contains { abs(Int($0)) > 1000 }
                #expect(loud == part.on, "\(tone) part at \(offset / 8) ms")
                offset += part.milliseconds * 8
            }
        }
        let on = { (tone: RingbackTone) in Array(RingbackCadence.cycle(tone).prefix(3200)) }
        #expect(Self.power(on(.us), hz: 440) > 50 * Self.power(on(.us), hz: 697))
        #expect(Self.power(on(.us), hz: 480) > 50 * Self.power(on(.us), hz: 697))
        #expect(Self.power(on(.uk), hz: 400) > 50 * Self.power(on(.uk), hz: 480))
        #expect(Self.power(on(.uk), hz: 450) > 50 * Self.power(on(.uk), hz: 480))
        #expect(Self.power(on(.eu), hz: 425) > 50 * Self.power(on(.eu), hz: 480))
        // 400 Hz at 16 Hz: energy at 400 and at its sidebands, 384 and 416 Hz.
        #expect(Self.power(on(.jp), hz: 416) > 20 * Self.power(on(.jp), hz: 480))
        #expect(Self.power(on(.jp), hz: 400) > 20 * Self.power(on(.jp), hz: 480))
    }

    @Test func stereoRecordingKeepsTheSidesApartAndAligned() {
        let start = NIODeadline.now()
        let recording = BridgeRecording(started: start)
        let tone = Tone.sine(hz: 697, milliseconds: 20)
        // Caller: two frames, one lost between them; callee: one frame 40 ms in.
        recording.add(tone, channel: 0, ssrc: 1, timestamp: 1000, at: start)
        recording.add(tone, channel: 0, ssrc: 1, timestamp: 1320, at: start + .milliseconds(45))
        recording.add(tone, channel: 1, ssrc: 2, timestamp: 7, at: start + .milliseconds(40))
        let stereo = recording.stereo()
        #expect(stereo.count == 2 * 480)
        let left = stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] }
        let right = stride(from: 1, to: stereo.count, by: 2).map { stereo[$0] }
        #expect(Array(left[0..<160]) == tone)
        #expect(left[160..<320].allSatisfy { $0 == 0 }, "the lost frame is silence")
        #expect(Array(left[320..<480]) == tone, "placed by its timestamp, not by arrival")
        #expect(right[0..<320].allSatisfy { $0 == 0 })
        #expect(Array(right[320..<480]) == tone)
        let wav = recording.wav()
        #expect(wav.count == 44 + 4 * 480)
        #expect(wav[22] == 2, "two channels")
    }
}
