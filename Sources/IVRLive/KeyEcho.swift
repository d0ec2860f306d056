import IVRRuntime

/// The status line `ivrc run` keeps up to date while keys are typed into a
/// wait for several keys (on a terminal only): the keys so far, and what
/// ends the entry, counting down in whole seconds.
///
/// ```
///   keys: 12_  (ends in 3s, or press #)       more keys may follow
///   keys: ••••_  (ends in 3s)                 a sensitive capture, no terminator
/// ```
///
/// The line is redrawn in place (carriage return, erase line) and erased
/// when the wait ends, so the wait's final `> 123456#` line takes its place.
struct KeyEcho {
    /// Erases the current line: carriage return, then ANSI "erase in line".
    static let eraseLine = "\r\u{1B}[K"
    /// Shown for each key of a sensitive capture (never the digit, and not
    /// `*`, which is a key).
    static let hiddenKey: Character = "•"

    let enabled: Bool
    let sensitive: Bool
    let terminator: Character?
    let write: @Sendable (String) -> Void
    /// The line on screen ("" when none).
    private(set) var shown = ""

    init(_ request: CollectRequest, enabled: Bool, write: @escaping @Sendable (String) -> Void) {
        self.enabled = enabled
        sensitive = request.sensitive
        terminator = request.terminator
        self.write = write
    }

    /// `keys: 12_  (ends in 3s, or press #)`.
    static func line(_ digits: String, sensitive: Bool, seconds: Int, terminator: Character?) -> String {
        let keys = sensitive ? String(repeating: hiddenKey, count: digits.count) : digits
        let press = terminator.map { ", or press \($0)" } ?? ""
        return "  keys: \(keys)_  (ends in \(seconds)s\(press))"
    }

    /// Whole seconds left until `deadline`, rounded up (at least 1).
    static func secondsLeft(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = (deadline - now).components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// Draws the line for `digits` (only when it changed).
    mutating func show(_ digits: String, until deadline: ContinuousClock.Instant) {
        guard enabled else { return }
        let seconds = Self.secondsLeft(until: deadline, now: .now)
        let text = Self.line(digits, sensitive: sensitive, seconds: seconds, terminator: terminator)
        guard text != shown else { return }
        write(Self.eraseLine + text)
        shown = text
    }

    /// When the wait should wake to redraw the countdown: the instant the
    /// seconds shown drop by one, or `deadline` itself.
    func wake(before deadline: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard enabled, !shown.isEmpty else { return deadline }
        let seconds = Self.secondsLeft(until: deadline, now: .now)
        return deadline - .seconds(seconds - 1)
    }

    /// Erases the line, when one is shown.
    mutating func clear() {
        guard !shown.isEmpty else { return }
        write(Self.eraseLine)
        shown = ""
    }
}
