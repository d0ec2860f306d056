/// One SRV record's target (RFC 2782): a host and port, with the
/// priority and weight that order it among the others.
public struct SRVTarget: Sendable, Hashable, CustomStringConvertible {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var host: String

    public init(priority: UInt16, weight: UInt16, port: UInt16, host: String) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.host = host
    }

    public var description: String { "\(host):\(port) (priority \(priority), weight \(weight))" }

    /// The order to try `targets` in (RFC 2782, "Usage rules"): lowest
    /// priority first; within a priority, a weighted random draw without
    /// replacement: the zero weights first in a shuffled list, a running sum of
    /// the weights, a number drawn uniformly in 0...sum, and the first
    /// target whose running sum reaches it goes next. A target of weight
    /// 0 is then chosen only when its running sum is 0 (rarely, while
    /// others remain). `random` is the draw (tests inject a seeded one).
    public static func order(_ targets: [SRVTarget], using random: inout some RandomNumberGenerator) -> [SRVTarget] {
        var ordered: [SRVTarget] = []
        let priorities = Set(targets.map(\.priority)).sorted()
        for priority in priorities {
            var left = targets.filter { $0.priority == priority }
            while !left.isEmpty {
                // "Any order, except that all those with weight 0 are placed
                // at the beginning": shuffled, so equal zero weights share the draws.
                left.shuffle(using: &random)
                left = left.filter { $0.weight == 0 } + left.filter { $0.weight != 0 }
                let sum = left.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
                let draw = UInt64.random(in: 0...sum, using: &random)
                var running: UInt64 = 0
                var chosen = left.count - 1
                for (i, target) in left.enumerated() {
                    running += UInt64(target.weight)
                    if running >= draw {
                        chosen = i
                        break
                    }
                }
                ordered.append(left.remove(at: chosen))
            }
        }
        return ordered
    }
}
