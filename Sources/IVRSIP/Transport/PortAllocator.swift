import Synchronization

/// Hands out even RTP ports from a range (`--rtp-ports A-B`, RFC 3550 11:
/// RTP on even ports), round-robin so a just-freed port rests before reuse.
/// Ports that another process holds are found at bind time
/// (`MediaSession.open` goes on to the next one) and counted here.
/// Thread-safe.
public final class PortAllocator: Sendable {
    public let range: ClosedRange<Int>
    private struct State {
        var inUse: Set<Int> = []
        var next: Int
        var busySkipped = 0
        var exhaustions = 0
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

    /// `port` could not be bound, another process holds it: released, and
    /// counted in `busySkipped`.
    public func skipBusy(_ port: Int) {
        state.withLock {
            $0.inUse.remove(port)
            $0.busySkipped += 1
        }
    }

    /// Ports found held by other processes and skipped, since the start.
    public var busySkipped: Int { state.withLock { $0.busySkipped } }

    /// Opens that found no port to bind (every port taken by calls or by
    /// other processes), since the start.
    public var exhaustions: Int { state.withLock { $0.exhaustions } }

    func countExhaustion() { state.withLock { $0.exhaustions += 1 } }

    /// Parses `A-B` (1024 < A <= B <= 65534).
    public static func parseRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 1024, a <= b, b <= 65534 else { return nil }
        return a...b
    }
}
