import Foundation
import IVRSIP
#if canImport(Glibc)
import Glibc
#endif

/// The generator's RTP side: `socketCount` sockets (8 MB receive buffers,
/// kernel receive timestamps), read by one thread in batches once a
/// millisecond (see `loop`). Streams are told apart by
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
    // read by one thread.
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
        let fds = sockets.map(\.fd)
        Thread { self.loop(fds) }.start()
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

    /// Every millisecond (absolute deadlines), drains every socket in
    /// `recvmmsg` batches (`drain`): the kernel stamps each datagram on
    /// arrival, so reading late changes no figure, and the one thread wakes
    /// 1,000 times a second instead of once per datagram.
    func loop(_ fds: [Int32]) {
        let batch = DatagramBatch()
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        while lock.withLock({ running }) {
            deadline.tv_nsec += 1_000_000
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_nsec -= 1_000_000_000
                deadline.tv_sec += 1
            }
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil)
            for fd in fds { drain(fd, batch) }
        }
        lock.withLock { threadsDone += 1 }
    }

    /// Reads what `fd` holds, batch by batch, and keeps the samples.
    private func drain(_ fd: Int32, _ batch: DatagramBatch) {
        var kept: [(stream: Int, sample: Sample)] = []
        while true {
            let received = batch.receive(fd: fd)
            if received.isEmpty { return }
            // Arrival on the monotonic clock the INVITEs were stamped
            // with: the kernel's (realtime) stamp moved by the clocks' offset.
            let offset = Int64(RawUDP.now()) - StampedSender.realtime()
            let (ports, srtps) = lock.withLock { (streamForPort, srtpForStream) }
            var failures = 0
            var strayCount = 0
            kept.removeAll(keepingCapacity: true)
            for (k, packet) in received.enumerated() where packet.length >= 12 {
                let buffer = batch.datagram(k, length: packet.length)
                guard let i = ports[packet.fromPort] else {
                    strayCount += 1
                    continue
                }
                var length = packet.length
                if let srtp = srtps[i] {
                    guard case .success(let n) = srtp.unprotect(buffer, length: packet.length), n >= 13 else {
                        failures += 1
                        continue
                    }
                    length = n
                }
                kept.append((i, Self.sample(buffer, length: length, kernelTime: packet.kernelTime)))
            }
            lock.withLock {
                srtpFailures += failures
                strays += strayCount
                for (i, sample) in kept {
                    if firstArrival[i] == 0 {
                        firstArrival[i] = sample.kernelTime != 0 ? UInt64(max(1, sample.kernelTime + offset)) : RawUDP.now()
                    }
                    if measuring { samples[i].append(sample) }
                }
            }
            if received.count < batch.capacity { return }
        }
    }

    /// What the window keeps of one RTP packet (`length` bytes, at least 13).
    static func sample(_ buffer: UnsafeMutableRawBufferPointer, length: Int, kernelTime: Int64) -> Sample {
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
        return Sample(kernelTime: kernelTime, timestamp: timestamp, silent: silent, sentAt: sentAt)
    }

    /// Stops the threads (each within a millisecond) and closes the sockets.
    func close() {
        lock.withLock { running = false }
        while lock.withLock({ threadsDone < 1 }) { usleep(20_000) }
        for s in sockets { Glibc.close(s.fd) }
    }
}
