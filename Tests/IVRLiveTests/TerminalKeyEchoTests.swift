import Foundation
import IVRTestSupport
import Testing
@testable import IVRLive
@testable import IVRRuntime

/// `ivrc run`'s waits for several keys: the terminator after `max` digits,
/// and the status line that echoes keys as they are typed.
@Suite(.dedicatedExecutor) struct TerminalKeyEchoTests {
    /// A capture of exactly `max` digits with `#` as terminator, as the
    /// interpreter asks for it.
    static func capture(max: Int = 6, interDigit: Int = 30_000, trailing: Bool = true) -> CollectRequest {
        var r = CollectRequest(prompts: [], maxDigits: max, timeout: 30_000, interDigitTimeout: interDigit, terminator: "#")
        r.takesTrailingTerminator = trailing
        return r
    }

    static let menu = CollectRequest(prompts: [], maxDigits: 1, timeout: 300, interDigitTimeout: 300, terminator: nil)

    /// True once the screen shows `text` (polls for up to 30 s).
    static func waitFor(_ screen: Screen, _ text: String) async -> Bool {
        for _ in 0..<1500 {
            if screen.contents.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// `123456#` for a capture of 6: the `#` is the capture's, the next wait
    /// hears only the keys after it.
    @Test func terminatorTypedWithTheDigitsIsSwallowed() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("123456#1")
        #expect(try await backend.collect(Self.capture()) == CollectResult(digits: "123456", ending: .maxDigits, promptsPlayed: 0))
        #expect(try await backend.collect(Self.menu).digits == "1")
        #expect(screen.contents.contains("  > 123456#\n"), "\(screen.contents)")
    }

    /// The `#` may come a moment after the 6th digit: the capture has
    /// ended at once (no dead air), and that `#`, typed within the
    /// inter-digit timeout, is dropped; the key after it is the next wait's.
    @Test(.timeLimit(.minutes(1))) func terminatorPressedAfterTheDigitsIsSwallowed() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("123456")
        #expect(try await backend.collect(Self.capture()) == CollectResult(digits: "123456", ending: .maxDigits, promptsPlayed: 0))
        #expect(screen.contents.contains("  > 123456\n"))
        keys.press("#")
        #expect(!keys.hasKeys, "the # belongs to the capture")
        keys.press("#")
        #expect(keys.hasKeys, "only the first # is the capture's")
        #expect(try await backend.collect(Self.menu).digits == "#")
    }

    /// A terminator typed after the inter-digit timeout has passed is the
    /// next wait's.
    @Test func aLateTerminatorIsTheNextWaits() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("12")
        #expect(try await backend.collect(Self.capture(max: 2, interDigit: 1)).digits == "12")
        let passed = ContinuousClock.now + .milliseconds(50)
        while ContinuousClock.now < passed { try await Task.sleep(for: .milliseconds(10)) }
        keys.press("#")
        #expect(keys.hasKeys)
    }

    /// Another key after the 6th digit ends the capture at once and is the
    /// next wait's (the inter-digit timeout, 30 s, is not waited).
    @Test(.timeLimit(.minutes(1))) func anotherKeyAfterTheDigitsStaysBuffered() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("1234569")
        #expect(try await backend.collect(Self.capture()).digits == "123456")
        #expect(try await backend.collect(Self.menu).digits == "9")
        #expect(screen.contents.contains("  > 123456\n"))
    }

    /// Only captures with a terminator take one after `max` (a
    /// dial-by-extension key or `terminator: none` does not).
    @Test func withoutTheTrailingTerminatorTheKeyStaysBuffered() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("12#")
        #expect(try await backend.collect(Self.capture(max: 2, trailing: false)).digits == "12")
        #expect(keys.hasKeys)
    }

    /// On a terminal each key shows at once on a status line with the time
    /// left; the wait's `>` line replaces it at the end.
    @Test(.timeLimit(.minutes(1))) func keysEchoWithTheTimeLeft() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, echoKeys: true, write: { screen.write($0) })
        let call = Task(executorPreference: DedicatedExecutor.shared) { try await backend.collect(Self.capture(max: 8)) }
        #expect(await Self.waitFor(screen, "waiting for keys, then # (30s)"))
        keys.press("1")
        #expect(await Self.waitFor(screen, "\r\u{1B}[K  keys: 1_  (ends in 30s, or press #)"), "\(screen.contents)")
        keys.press("2")
        #expect(await Self.waitFor(screen, "\r\u{1B}[K  keys: 12_  (ends in 30s, or press #)"), "\(screen.contents)")
        keys.press("#")
        #expect(try await call.value.digits == "12")
        #expect(screen.contents.hasSuffix("\r\u{1B}[K  > 12#\n"), "\(screen.contents)")
    }

    /// The time left counts down; at `max` the entry ends at once. (The
    /// inter-digit timeout is long, so a busy machine that wakes the
    /// countdown late still sees it move before the entry ends.)
    @Test(.timeLimit(.minutes(2))) func theCountdownMovesAndMaxEndsTheEntry() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, echoKeys: true, write: { screen.write($0) })
        let call = Task(executorPreference: DedicatedExecutor.shared) {
            try await backend.collect(Self.capture(max: 2, interDigit: 60_000))
        }
        #expect(await Self.waitFor(screen, "waiting for keys, then # (30s)"))
        keys.press("4")
        #expect(await Self.waitFor(screen, "keys: 4_  (ends in 60s, or press #)"), "\(screen.contents)")
        let moved = try Regex(#"keys: 4_  \(ends in ([1-5][0-9]|[1-9])s, or press #\)"#)
        var seen = false
        for _ in 0..<2500 where !seen {
            seen = screen.contents.contains(moved)
            if !seen { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(seen, "the countdown never moved: \(screen.contents)")
        keys.press("2")
        #expect(try await call.value == CollectResult(digits: "42", ending: .maxDigits, promptsPlayed: 0))
        #expect(screen.contents.hasSuffix("\r\u{1B}[K  > 42\n"), "\(screen.contents)")
    }

    /// A sensitive capture echoes one dot a key, never the digits.
    @Test(.timeLimit(.minutes(1))) func sensitiveKeysEchoAsDots() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, echoKeys: true, write: { screen.write($0) })
        var request = Self.capture(max: 4)
        request.sensitive = true
        let call = Task(executorPreference: DedicatedExecutor.shared) { try await backend.collect(request) }
        keys.press("43")
        #expect(await Self.waitFor(screen, "keys: ••_  (ends in 30s, or press #)"), "\(screen.contents)")
        keys.press("21#")
        #expect(try await call.value.digits == "4321")
        #expect(screen.contents.contains("  > ***#\n"))
        #expect(!screen.contents.contains("43") && !screen.contents.contains("21"), "\(screen.contents)")
    }

    /// Output that is not a terminal (the default) gets no status line.
    @Test func noEchoWhenNotATerminal() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, write: { screen.write($0) })
        keys.press("12#")
        _ = try await backend.collect(Self.capture(max: 8))
        #expect(screen.contents == "  ... waiting for keys, then # (30s)\n  > 12#\n")
    }
}
