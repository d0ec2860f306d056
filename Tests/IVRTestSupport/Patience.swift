import Foundation

/// The ceiling of a wait that counts only time in which the test could
/// have seen the event: each look counts at most `step` of the time since
/// the previous look.
///
/// A wall-clock deadline fails when the whole process (or the machine)
/// stops for longer than the ceiling: after a 50 s pause the waiter wakes
/// past its 20 s deadline and gives up before the event loop it waits on
/// has run once, though the event is due a millisecond later. CI saw just
/// that (several tests of different suites finished together after
/// 59-61 s, three of them failed on a 20 s wait). With `Patience`, a pause
/// costs one `step`, and the waiter looks again.
///
///     var patience = Patience(seconds: 20)
///     while !done, patience.another() { try? await Task.sleep(for: .milliseconds(20)) }
///
/// Blocking waits (a socket's receive timeout) should block for at most
/// `patience.slice` at a time, so that a timeout in normal running counts
/// in full.
public struct Patience: Sendable {
    /// The ceiling: the waiting time that counts before giving up.
    public let ceiling: Double
    /// The most one look counts (seconds).
    public let step: Double
    public private(set) var spent: Double = 0
    private var last: ContinuousClock.Instant

    public init(seconds ceiling: Double, step: Double = 1) {
        self.ceiling = ceiling
        self.step = step
        last = .now
    }

    /// Counts the time since the last look (at most `step`); true while
    /// the ceiling is not reached, so the caller may look again.
    public mutating func another() -> Bool {
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        spent += min(max(seconds, 0), step)
        return spent < ceiling
    }

    /// How long the next blocking wait may last (seconds): what remains of
    /// the ceiling, at most one `step`, and at least 10 ms.
    public var slice: Double { max(0.01, min(step, ceiling - spent)) }
}
