import Foundation

/// One load level's figures.
struct LoadResult {
    var calls: Int
    var up: Int
    var setupSeconds: Double
    var setupLatencies: [Double]
    /// RTP inter-arrival gaps in milliseconds, every call pooled.
    var gaps: [Double]
    var received: Int
    var expected: Int

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    var row: String {
        let jitter = gaps.map { abs($0 - 20) }
        let late = gaps.filter { $0 > 25 }.count
        let latePercent = gaps.isEmpty ? 0 : 100 * Double(late) / Double(gaps.count)
        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        return [
            "\(calls)".padding(toLength: 6, withPad: " ", startingAt: 0),
            f(setupSeconds).padding(toLength: 8, withPad: " ", startingAt: 0),
            f(Double(up) / max(setupSeconds, 0.001), 0).padding(toLength: 8, withPad: " ", startingAt: 0),
            f(Self.percentile(setupLatencies, 0.5), 1).padding(toLength: 13, withPad: " ", startingAt: 0),
            f(Self.percentile(setupLatencies, 0.99), 1).padding(toLength: 13, withPad: " ", startingAt: 0),
            f(Self.percentile(jitter, 0.5), 3).padding(toLength: 14, withPad: " ", startingAt: 0),
            f(Self.percentile(jitter, 0.99), 3).padding(toLength: 14, withPad: " ", startingAt: 0),
            "\(late) (\(f(latePercent))%)".padding(toLength: 9, withPad: " ", startingAt: 0),
            "\(received)/\(expected)" + (up < calls ? "  (only \(up)/\(calls) calls got RTP)" : ""),
        ].joined(separator: " ")
    }
}
