import Synchronization

/// Hands out even RTP ports from a range (`--rtp-ports A-B`, RFC 3550 11:
/// RTP on even ports), round-robin so a just-freed port rests before reuse.
/// Thread-safe.
public final class PortAllocator: Sendable {
    public let range: ClosedRange<Int>
    private struct State {
        var inUse: Set<Int> = []
        var next: Int
    }
    private let state: Mutex<State>

    public init(range: ClosedRange<Int>) {
        let low = range.lowerBound + (range.lowerBound & 1)
        self.range = low...max(low, range.upperBound)
        state = Mutex(State(next: low))
    }

    /// How many ports the range holds.
    public var capacity: Int { (range.upperBound - range.lowerBound) / 2 + 1 }

    public var inUse: Int { state.withLock { $0.inUse.count } }

    /// A free even port, or nil when all are taken.
    public func allocate() -> Int? {
        state.withLock { s in
            for _ in 0..<capacity {
                let port = s.next
                s.next += 2
                if s.next > range.upperBound { s.next = range.lowerBound }
                if !s.inUse.contains(port) {
                    s.inUse.insert(port)
                    return port
                }
            }
            return nil
        }
    }

    public func release(_ port: Int) {
        _ = state.withLock { $0.inUse.remove(port) }
    }

    /// Parses `A-B` (1024 < A <= B <= 65534).
    public static func parseRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 1024, a <= b, b <= 65534 else { return nil }
        return a...b
    }
}
