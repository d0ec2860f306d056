import Foundation
import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// The generator's RTP side: `socketCount` sockets (8 MB receive buffers,
/// kernel receive timestamps), one thread each. Streams are told apart by
/// their source port (each call's server RTP port, learnt from its SDP;
/// each bare-pacer channel's port).
///
/// Until `startWindow`, only the first arrival of each stream is noted (for
/// call setup); inside the window every packet is kept as (kernel time,
/// RTP timestamp, silent payload?) for `LoadResult`. A stream registered
/// with an SRTP session is unprotected first (on its socket's thread: a
/// stream always arrives on the same socket); a packet that does not
/// unprotect is counted in `srtpFailures` and not sampled.
final class RTPReceiver: @unchecked Sendable {
    // NOTE: every mutable property below is guarded by `lock`; the sockets are
    // read by one thread each.
    struct Sample {
        var kernelTime: Int64
        var timestamp: UInt32
        var silent: Bool
        /// A `StampedSender` packet's send time (CLOCK_REALTIME ns); 0: none.
        var sentAt: Int64 = 0
    }

    let sockets: [(fd: Int32, port: Int)]
    let streams: Int
    private let lock = NSLock()
    private var streamForPort: [Int: Int] = [:]
    private var srtpForStream: [Int: SRTPSession] = [:]
    private(set) var srtpFailures = 0
    private var firstArrival: [UInt64]
    private var samples: [[Sample]]
    private var measuring = false
    private var running = true
    private var strays = 0
    private var threadsDone = 0

    init(streams: Int, socketCount: Int = 4) {
        self.streams = streams
        sockets = (0..<socketCount).map { _ in RawUDP.bind(receiveBuffer: 8 << 20, timestamps: true) }
        firstArrival = Array(repeating: 0, count: streams)
        samples = Array(repeating: [], count: streams)
        for fd in sockets.map(\.fd) { Thread { self.loop(fd) }.start() }
    }

    /// The port stream `i` should send to (streams are spread over the sockets).
    func port(forStream i: Int) -> Int { sockets[i % sockets.count].port }

    /// Packets from `sourcePort` belong to stream `i`.
    func register(sourcePort: Int, stream i: Int, srtp: SRTPSession? = nil) {
        lock.withLock {
            streamForPort[sourcePort] = i
            srtpForStream[i] = srtp
        }
    }

    /// How many streams have delivered a packet, and when each first did (0: not yet).
    func arrivals() -> (count: Int, times: [UInt64]) {
        lock.withLock { (firstArrival.lazy.filter { $0 != 0 }.count, firstArrival) }
    }

    func startWindow() {
        lock.withLock {
            for i in samples.indices { samples[i].removeAll(keepingCapacity: true) }
            measuring = true
        }
    }

    /// Ends the window and returns its samples, per stream.
    func endWindow() -> (samples: [[Sample]], strays: Int) {
        lock.withLock {
            measuring = false
            return (samples, strays)
        }
    }

    func loop(_ fd: Int32) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
        defer { buffer.deallocate() }
        while lock.withLock({ running }) {
            guard let packet = RawUDP.receive(fd: fd, into: buffer), packet.length >= 12 else { continue }
            let arrival = RawUDP.now()
            var length = packet.length
            if let srtp = lock.withLock({ streamForPort[packet.fromPort].flatMap { srtpForStream[$0] } }) {
                guard case .success(let n) = srtp.unprotect(buffer, length: packet.length), n >= 13 else {
                    lock.withLock { srtpFailures += 1 }
                    continue
                }
                length = n
            }
            let timestamp = UInt32(buffer[4]) << 24 | UInt32(buffer[5]) << 16 | UInt32(buffer[6]) << 8 | UInt32(buffer[7])
            // A tone or speech never gives a whole frame of one byte; silence does (0xFF / 0xD5).
            let first = buffer[12]
            var silent = true
            for k in 13..<length where buffer[k] != first {
                silent = false
                break
            }
            var sentAt: Int64 = 0
            if length >= 24, buffer[20] == StampedSender.magic[0], buffer[21] == StampedSender.magic[1],
               buffer[22] == StampedSender.magic[2], buffer[23] == StampedSender.magic[3] {
                for b in 0..<8 { sentAt = sentAt << 8 | Int64(buffer[12 + b]) }
            }
            lock.withLock {
                guard let i = streamForPort[packet.fromPort] else {
                    strays += 1
                    return
                }
                if firstArrival[i] == 0 { firstArrival[i] = arrival }
                if measuring { samples[i].append(Sample(kernelTime: packet.kernelTime, timestamp: timestamp, silent: silent, sentAt: sentAt)) }
            }
        }
        lock.withLock { threadsDone += 1 }
    }

    /// Stops the threads (each within its 200 ms receive timeout) and closes the sockets.
    func close() {
        lock.withLock { running = false }
        while lock.withLock({ threadsDone < sockets.count }) { usleep(20_000) }
        for s in sockets { Glibc.close(s.fd) }
    }
}
