import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys from a file descriptor (the raw terminal, or a pipe in tests),
/// read by a background thread into a buffer that waits consume.
///
/// `0-9 * #` are DTMF keys (`a`-`d` are not accepted). Ctrl-C (0x03),
/// Ctrl-D (0x04) or `hangUp()` (a signal) is the caller hanging up at once,
/// even with keys buffered. The end of input (a pipe that ends) is a
/// hang-up at the first wait that finds no key left: `echo "1 42#" | ivrc
/// run ...` plays the call through both waits, then hangs up at the next
/// one. Other bytes are ignored.
public final class KeyInput: Sendable {
    /// What a wait got.
    public enum Next: Sendable, Equatable {
        case key(Character)
        case hungUp
        case timedOut
    }

    struct State {
        var keys: [Character] = []
        var hungUp = false
        /// The input ended: a hang-up at the first wait without a key.
        var ended = false
        /// A key to drop if it is the next one typed before the deadline
        /// (`discardNext`).
        var discarding: (key: Character, until: ContinuousClock.Instant)?

        /// A typed key joins the buffer, unless it is the one being discarded.
        mutating func typed(_ key: Character) {
            if let window = discarding {
                discarding = nil
                if key == window.key, ContinuousClock.now < window.until { return }
            }
            keys.append(key)
        }
    }

    private let state = Mutex(State())

    /// Starts reading `fd` on a background thread (it ends with the input).
    public init(fd: Int32) {
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n < 0, errno == EINTR { continue }
                guard n == 1 else { endOfInput(); return }
                switch byte {
                case 0x03, 0x04: hangUp(); return
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "#"):
                    let key = Character(Unicode.Scalar(byte))
                    state.withLock { $0.typed(key) }
                default: continue
                }
            }
        }
        thread.name = "ivrc keys"
        thread.start()
    }

    /// For tests: no reader thread; keys come from `press`.
    init() {}

    func press(_ keys: String) { state.withLock { s in for key in keys { s.typed(key) } } }

    /// A capture that ended at `max` digits owns its terminator for a while
    /// longer: when `key` is the next key typed within `window`, it is
    /// dropped. Returns true when it was already typed (and is dropped now).
    /// Any other key ends that; the call goes on meanwhile.
    public func discardNext(_ key: Character, within window: Duration) -> Bool {
        state.withLock { s in
            if let first = s.keys.first {
                if first == key { s.keys.removeFirst(); return true }
                return false
            }
            s.discarding = (key, ContinuousClock.now + window)
            return false
        }
    }

    /// The caller hangs up (Ctrl-C, end of input, a signal).
    public func hangUp() { state.withLock { $0.hungUp = true } }

    /// The input ended (end of file): a hang-up at the next wait without keys.
    func endOfInput() { state.withLock { $0.ended = true } }

    public var hasHungUp: Bool { state.withLock { $0.hungUp } }

    /// Whether the reader has reached the end of the input.
    var hasSeenEndOfInput: Bool { state.withLock { $0.ended } }

    /// Whether keys are waiting (type-ahead: they cut the next prompt).
    public var hasKeys: Bool { state.withLock { !$0.keys.isEmpty } }

    /// The next key, waiting until `deadline` at most. A hang-up (Ctrl-C)
    /// comes first even when keys are buffered; the end of input, once none
    /// are left. A cancelled task counts as a hang-up.
    public func next(until deadline: ContinuousClock.Instant) async -> Next {
        while true {
            let taken: Next? = state.withLock { s in
                if s.hungUp { return .hungUp }
                if !s.keys.isEmpty { return .key(s.keys.removeFirst()) }
                return s.ended ? .hungUp : nil
            }
            if let taken { return taken }
            if Task.isCancelled { return .hungUp }
            let now = ContinuousClock.now
            if now >= deadline { return .timedOut }
            // NOTE: polling every 10 ms keeps this simple and is far below what
            // a caller can notice (DTMF digits last 40 ms or more).
            try? await Task.sleep(until: min(deadline, now + .milliseconds(10)), clock: .continuous)
        }
    }
}
