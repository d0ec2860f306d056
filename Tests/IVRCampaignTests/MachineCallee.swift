import Foundation
import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// The answering machines of the campaign tests: the RTP end of SIPp's
/// machine calls (numbers ending in 6). SIPp answers them with this socket's
/// port in its SDP, so ivrc's RTP for them comes here, and this plays the
/// greeting and records what ivrc sends, which SIPp cannot do.
///
/// Each new stream (a source address and SSRC) is one call. From its first
/// packet on, the machine's greeting (`CampaignCallee.machine`: 4 s of
/// speech, a 0.5 s beep at 1 kHz, a second of silence, then silence for
/// as long as the call lasts) goes back to that source in real time, one
/// 20 ms packet at a time, scheduled from the call's start so delays do not
/// add up. It sends from this same socket: ivrc latches its RTP to the
/// source of what it receives (`MediaSession.received`), and the source is
/// the SDP's address, so ivrc's stream stays here.
///
/// Every packet ivrc sends is kept with its arrival time, and the time the
/// beep's last packet left, both in the callee's time base (seconds of a
/// monotonic clock since the machine started). A stream that has been
/// silent for 2 s, or whose source has started another stream (ivrc was
/// killed and its port reused), is over: nothing more is sent to it.
final class MachineCallee: @unchecked Sendable {
    /// One RTP packet ivrc sent.
    struct Packet: Sendable {
        var arrival: Double
        var payloadType: UInt8
        var sequence: UInt16
        var timestamp: UInt32
        var payload: [UInt8]
    }

    /// One machine call as the callee saw it.
    struct Call: Sendable {
        var source: String
        var ssrc: UInt32
        var started: Double
        /// When the beep's last packet had been played (sent, plus its 20 ms); nil before.
        var beepEnded: Double?
        var received: [Packet] = []
        var framesSent = 0
        /// The most a greeting packet left after its time (the test process was busy).
        var latest = 0.0
        var lastHeard: Double
        var over = false
    }

    let port: Int
    private let fd: Int32
    private let base = ContinuousClock.now
    /// The greeting, one u-law payload per 20 ms frame, and the index of the beep's last frame.
    private let frames: [[UInt8]]
    private let lastBeepFrame: Int
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var calls: [Call] = []
    private var stopping = false
    private var addresses: [sockaddr_in] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        var buffer: Int32 = 1 << 21
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let audio = G711.encode(CampaignCallee.machine, codec: .pcmu)
        frames = stride(from: 0, to: audio.count, by: MediaSession.frameSamples).map { Array(audio[$0..<min($0 + MediaSession.frameSamples, audio.count)]) }
        lastBeepFrame = CampaignCallee.machineBeep.upperBound / MediaSession.frameSamples - 1
        let thread = Thread { [self] in run() }
        thread.name = "tests.machine-callee"
        thread.start()
    }

    /// The calls so far (a copy).
    func snapshot() -> [Call] {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    private var now: Double {
        let elapsed = ContinuousClock.now - base
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var out = [UInt8](repeating: 0, count: 12 + MediaSession.frameSamples)
        while true {
            lock.lock()
            let done = stopping
            lock.unlock()
            if done { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 5)
            while true {
                var from = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, &length) }
                    }
                }
                guard count >= 12 else { break }
                received(Array(buffer[0..<count]), from: from)
            }
            sendDue(&out)
        }
        close(fd)
    }

    private func received(_ bytes: [UInt8], from: sockaddr_in) {
        guard bytes[0] >> 6 == 2 else { return }
        let header = 12 + 4 * Int(bytes[0] & 0x0F)
        guard bytes.count >= header else { return }
        let ssrc = UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
        let source = "\(from.sin_addr.s_addr):\(UInt16(bigEndian: from.sin_port))"
        let packet = Packet(arrival: now, payloadType: bytes[1] & 0x7F, sequence: UInt16(bytes[2]) << 8 | UInt16(bytes[3]),
                            timestamp: UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7]),
                            payload: Array(bytes[header...]))
        lock.lock()
        defer { lock.unlock() }
        if let i = calls.lastIndex(where: { $0.source == source && $0.ssrc == ssrc }) {
            calls[i].received.append(packet)
            calls[i].lastHeard = packet.arrival
            return
        }
        // A new stream from this source: the source's earlier stream is over.
        for i in calls.indices where calls[i].source == source { calls[i].over = true }
        calls.append(Call(source: source, ssrc: ssrc, started: packet.arrival, received: [packet], lastHeard: packet.arrival))
        addresses.append(from)
    }

    /// Sends every frame that is due, to every call that is not over.
    private func sendDue(_ out: inout [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        let time = now
        for i in calls.indices where !calls[i].over {
            if time - calls[i].lastHeard > 2 {
                calls[i].over = true
                continue
            }
            while calls[i].started + Double(calls[i].framesSent) * 0.02 <= time {
                let k = calls[i].framesSent
                if k < frames.count { calls[i].latest = max(calls[i].latest, time - calls[i].started - Double(k) * 0.02) }
                let payload = k < frames.count ? frames[k] : [UInt8](repeating: G711.silence(.pcmu), count: MediaSession.frameSamples)
                out[0] = 0x80
                out[1] = k == 0 ? 0x80 : 0
                out[2] = UInt8(k >> 8 & 0xFF)
                out[3] = UInt8(k & 0xFF)
                let timestamp = UInt32(truncatingIfNeeded: k * MediaSession.frameSamples)
                for b in 0..<4 { out[4 + b] = UInt8(timestamp >> (24 - 8 * b) & 0xFF) }
                let ssrc = ~calls[i].ssrc
                for b in 0..<4 { out[8 + b] = UInt8(ssrc >> (24 - 8 * b) & 0xFF) }
                out.replaceSubrange(12..<12 + payload.count, with: payload)
                var to = addresses[i]
                _ = out.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &to) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, 12 + payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
                if k == lastBeepFrame { calls[i].beepEnded = now + 0.02 }
                calls[i].framesSent += 1
            }
        }
    }
}
