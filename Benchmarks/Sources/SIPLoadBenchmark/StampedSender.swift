import CDatagramBatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The callers' and callees' voices for the bridge benchmark: N paced PCMU
/// streams sent from the receiver's own sockets (so symmetric RTP sends the
/// relayed audio back to where the SDP said), each packet's payload
/// starting with the CLOCK_REALTIME nanosecond it was sent at and the
/// 4 bytes `IVRB`: a relayed packet arriving elsewhere tells how long the
/// relay held it (the receiver's kernel stamp minus this one).
///
/// One thread sending the streams in 20 slots of 1 ms
/// (stream `i` in slot `i mod 20`), on absolute `clock_nanosleep` deadlines,
/// a slot's packets from one socket in one `sendmmsg` (`OutgoingBatch`);
/// every packet of a batch carries the stamp taken before it, so a relay
/// delay can only read long, never short.
final class StampedSender: @unchecked Sendable {
    // NOTE: `running` and `threadsDone` are guarded by `lock`; each thread owns its streams.
    struct Stream {
        var fd: Int32
        var port: Int
        var ssrc: UInt32
    }

    static let magic: [UInt8] = Array("IVRB".utf8)
    private let lock = NSLock()
    private var running = true
    private var threadsDone = 0
    private let threads = 1

    init(streams: [Stream]) {
        for t in 0..<threads {
            let mine = streams.enumerated().filter { $0.offset % threads == t }.map { ($0.offset, $0.element) }
            Thread { self.loop(mine) }.start()
        }
    }

    static func realtime() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private func loop(_ streams: [(index: Int, stream: Stream)]) {
        var slots = [[Int]](repeating: [], count: 20)
        for (k, s) in streams.enumerated() { slots[s.index % 20].append(k) }
        var sequence = [UInt16](repeating: 0, count: streams.count)
        let most = max(1, slots.map(\.count).max() ?? 1)
        let batch = OutgoingBatch(capacity: most)
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        var tick = 0
        while lock.withLock({ running }) {
            // One tick's packets, grouped by socket, each socket's in one `sendmmsg`.
            var byFD: [Int32: [Int]] = [:]
            for k in slots[tick % 20] { byFD[streams[k].stream.fd, default: []].append(k) }
            for (fd, members) in byFD {
                batch.reset()
                let now = UInt64(bitPattern: Self.realtime())
                for k in members {
                    let s = streams[k].stream
                    batch.add(port: s.port) { packet in
                        Self.fill(packet, sequence: sequence[k], ssrc: s.ssrc, sentAt: now)
                    }
                    sequence[k] &+= 1
                }
                batch.send(fd: fd)
            }
            tick += 1
            deadline.tv_nsec += 1_000_000
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_nsec -= 1_000_000_000
                deadline.tv_sec += 1
            }
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil)
        }
        lock.withLock { threadsDone += 1 }
    }

    /// One 172-byte PCMU packet: header, the send stamp and `magic`, then a
    /// fixed non-silent pattern.
    static func fill(_ packet: UnsafeMutableRawBufferPointer, sequence: UInt16, ssrc: UInt32, sentAt: UInt64) {
        let timestamp = UInt32(truncatingIfNeeded: Int(sequence) * 160)
        packet[0] = 0x80
        packet[1] = 0
        packet[2] = UInt8(sequence >> 8)
        packet[3] = UInt8(sequence & 0xFF)
        for b in 0..<4 {
            packet[4 + b] = UInt8((timestamp >> UInt32(24 - 8 * b)) & 0xFF)
            packet[8 + b] = UInt8((ssrc >> UInt32(24 - 8 * b)) & 0xFF)
        }
        for b in 0..<8 { packet[12 + b] = UInt8((sentAt >> UInt64(56 - 8 * b)) & 0xFF) }
        for (k, m) in magic.enumerated() { packet[20 + k] = m }
        for k in 24..<172 { packet[k] = UInt8(truncatingIfNeeded: k * 7) }
    }

    func stop() {
        lock.withLock { running = false }
        while lock.withLock({ threadsDone < threads }) { usleep(5_000) }
    }
}

/// Packets to 127.0.0.1 sent from one socket with one `sendmmsg`.
final class OutgoingBatch {
    static let size = 172
    private let buffers: BatchBuffers
    private(set) var count = 0

    init(capacity: Int) { buffers = BatchBuffers(capacity: capacity, slotSize: Self.size, controlSize: 0) }

    func reset() { count = 0 }

    /// Adds a packet to `port`, its bytes written by `fill`.
    func add(port: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        guard count < buffers.capacity else { return }
        fill(buffers.slot(count, length: Self.size))
        buffers.names[count] = RawUDP.address(port: port)
        buffers.prepare(count, length: Self.size)
        count += 1
    }

    /// Sends every packet added since `reset` (what the kernel refuses is lost, as UDP may be).
    func send(fd: Int32) {
        var sent = 0
        while sent < count {
            let n = datagram_batch_send(fd, buffers.headers + sent, UInt32(count - sent), 0)
            if n <= 0 { break }
            sent += Int(n)
        }
    }
}

/// The callees of bridged calls: answers each INVITE the server sends (a
/// B leg) at once with 200 OK and PCMU + telephone-event, its audio to a
/// receiver stream of its own (`firstStream + k` for the k-th leg), and
/// remembers the server's RTP port for that leg.
final class CalleeAnswerer: @unchecked Sendable {
    // NOTE: `legs` and `answered` are guarded by `lock`.
    let receiver: RTPReceiver
    let firstStream: Int
    let sipPort: Int
    private let lock = NSLock()
    private var answered: [String: Int] = [:]
    private(set) var legs: [(serverPort: Int, stream: Int)] = []

    init(receiver: RTPReceiver, firstStream: Int, sipPort: Int) {
        self.receiver = receiver
        self.firstStream = firstStream
        self.sipPort = sipPort
    }

    var count: Int { lock.withLock { legs.count } }
    var allLegs: [(serverPort: Int, stream: Int)] { lock.withLock { legs } }

    /// The 200 OK for an INVITE (a retransmission gets the same answer), or nil for anything else.
    func answer(_ text: String) -> String? {
        guard text.hasPrefix("INVITE ") else { return nil }
        let lines = text.components(separatedBy: "\r\n")
        func header(_ name: String) -> String? {
            lines.first { $0.lowercased().hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }
        guard let callID = header("call-id"),
              let offered = text.range(of: "m=audio ").flatMap({ Int(text[$0.upperBound...].prefix { $0.isNumber }) }) else { return nil }
        let stream: Int = lock.withLock {
            if let known = answered[callID] { return known }
            let stream = firstStream + legs.count
            answered[callID] = stream
            legs.append((offered, stream))
            return stream
        }
        receiver.register(sourcePort: offered, stream: stream)
        let keep = lines.filter { l in ["via:", "from:", "call-id:", "cseq:", "record-route:"].contains { l.lowercased().hasPrefix($0) } }
        let to = (header("to") ?? "") + ";tag=callee\(stream)"
        let sdp = "v=0\r\no=- \(stream) 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio \(receiver.port(forStream: stream)) RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
        return "SIP/2.0 200 OK\r\n" + keep.joined(separator: "\r\n") + "\r\nTo: \(to)\r\n"
            + "Contact: <sip:callee\(stream)@127.0.0.1:\(sipPort)>\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: \(sdp.utf8.count)\r\n\r\n" + sdp
    }
}
