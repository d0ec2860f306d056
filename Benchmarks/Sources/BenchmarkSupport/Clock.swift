import Foundation

/// Timing and memory probes shared by the benchmarks.
public enum Probe {
    /// Monotonic nanoseconds.
    public static func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The best of `repeats` timed runs of `body`, in seconds, after one warm-up run.
    public static func best(repeats: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = nanoseconds()
            body()
            best = min(best, Double(nanoseconds() - start) / 1e9)
        }
        return best
    }

    /// The process's resident set size in bytes, from `/proc/self/statm`
    /// (second field, in pages); nil where there is no procfs.
    public static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
