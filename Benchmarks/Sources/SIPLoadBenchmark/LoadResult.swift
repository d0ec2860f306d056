import Foundation

/// The figures of one sender (ivrc or the bare pacer) at one load level.
///
/// For each stream, packet k has a kernel send time t_k and an RTP
/// timestamp ts_k (unwrapped, in samples of 125 us):
/// - jitter: |(t_k - t_k-1) - (ts_k - ts_k-1) * 125 us|, the RFC 3550
///   transit difference between consecutive packets;
/// - lateness: (t_k - ts_k * 125 us) - the smallest such offset of the
///   stream in the window, i.e. how far behind its 20 ms schedule the packet
///   left (the stream's earliest packet counts as on time); late: > 5 ms.
struct LoadResult {
    var streams: Int
    var streamsUp: Int
    var packets = 0
    var expected = 0
    var silent = 0
    var jitters: [Double] = []
    var latenesses: [Double] = []
    /// Share of one core used by the whole process during the window.
    var cpu: Double = 0
    /// Calls per second to first RTP, and INVITE-to-first-RTP latencies (ms).
    var setupRate: Double?
    var setupLatencies: [Double] = []

    init(streams: Int, samples: [[RTPReceiver.Sample]], seconds: Double, cpu: Double) {
        self.streams = streams
        self.cpu = cpu
        streamsUp = samples.filter { !$0.isEmpty }.count
        expected = Int(Double(streams) * seconds * 50)
        for s in samples where !s.isEmpty {
            packets += s.count
            silent += s.filter(\.silent).count
            var unwrapped: Int64 = 0
            var offsets: [Int64] = []
            offsets.reserveCapacity(s.count)
            for (k, p) in s.enumerated() {
                if k > 0 {
                    unwrapped += Int64(Int32(bitPattern: p.timestamp &- s[k - 1].timestamp))
                    let sent = p.kernelTime - s[k - 1].kernelTime
                    let scheduled = Int64(Int32(bitPattern: p.timestamp &- s[k - 1].timestamp)) * 125_000
                    jitters.append(Double(abs(sent - scheduled)) / 1e6)
                }
                offsets.append(p.kernelTime - unwrapped * 125_000)
            }
            let onTime = offsets.min() ?? 0
            latenesses += offsets.map { Double($0 - onTime) / 1e6 }
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    var late: Int { latenesses.filter { $0 > 5 }.count }
    var latePercent: Double { latenesses.isEmpty ? 0 : 100 * Double(late) / Double(latenesses.count) }
    var jitterP50: Double { Self.percentile(jitters, 0.5) }
    var jitterP99: Double { Self.percentile(jitters, 0.99) }

    static let header = "sender      calls  up     jitter-p50  jitter-p99  late>5ms          lateness-p99  received/expected  silent  cpu    setup calls/s  first-RTP p50/p99 ms"

    func row(_ name: String) -> String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count + 1), withPad: " ", startingAt: 0) }
        let setup = setupRate.map { f($0, 0) } ?? "-"
        let latency = setupLatencies.isEmpty ? "-"
            : "\(f(Self.percentile(setupLatencies, 0.5), 1)) / \(f(Self.percentile(setupLatencies, 0.99), 1))"
        return pad(name, 12) + pad("\(streams)", 7) + pad("\(streamsUp)", 7) + pad(f(jitterP50) + " ms", 12)
            + pad(f(jitterP99) + " ms", 12) + pad("\(late) (\(f(latePercent, 2))%)", 18)
            + pad(f(Self.percentile(latenesses, 0.99)) + " ms", 14) + pad("\(packets)/\(expected)", 19)
            + pad("\(silent)", 8) + pad(f(cpu * 100, 0) + "%", 7) + pad(setup, 15) + latency
    }
}

/// CPU time of the whole process (user + system), seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The 1-minute load average of the machine.
func loadAverage() -> Double {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) > 0 ? loads[0] : .nan
}
