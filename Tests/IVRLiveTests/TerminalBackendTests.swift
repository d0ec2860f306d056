import Foundation
import IVRTestSupport
import Synchronization
import Testing
@testable import IVRLive
@testable import IVRRuntime

/// What the backend printed.
final class Screen: Sendable {
    private let text = Mutex("")
    var contents: String { text.withLock { $0 } }
    func write(_ s: String) { text.withLock { $0 += s } }
}

@Suite(.dedicatedExecutor) struct TerminalBackendTests {
    static func collect(max: Int = 1, timeout: Int = 300, interDigit: Int = 200, terminator: Character? = "#",
                        prompts: [PromptItem] = [.say(text: "Press 1.", voice: nil, language: nil)]) -> CollectRequest {
        CollectRequest(prompts: prompts, maxDigits: max, timeout: timeout, interDigitTimeout: interDigit, terminator: terminator)
    }

    static func backend() -> (TerminalBackend, KeyInput, Screen) {
        let keys = KeyInput(), screen = Screen()
        return (TerminalBackend(keys: keys, write: { screen.write($0) }), keys, screen)
    }

    @Test func promptThenTimeoutInRealTime() async throws {
        let (backend, _, screen) = Self.backend()
        let clock = ContinuousClock()
        let started = clock.now
        let r = try await backend.collect(Self.collect(timeout: 300))
        #expect(r == CollectResult(digits: "", ending: .timeout, promptsPlayed: 1))
        #expect(clock.now - started >= .milliseconds(300))
        #expect(screen.contents == "  Press 1.\n  ... waiting for a key (0.3s)\n  (no key: timeout)\n")
    }

    /// `run` has nobody at the other end of a bridge: the callee answers,
    /// hears the whisper and confirms at once, and the screen says so.
    @Test func aBridgeIsAnsweredAndConfirmedAtOnce() async throws {
        let (backend, _, screen) = Self.backend()
        var transfer = TransferRequest(kind: .number, value: "+442071234567", callerID: nil, timeout: 1000)
        transfer.via = .bridge
        transfer.bridge = BridgeOptions(whisper: [.say(text: "Order line.", voice: nil, language: nil)], confirm: "1", record: true)
        #expect(try await backend.transfer(transfer)
            == .bridged(BridgeSummary(ringSeconds: 0, answered: true, talkSeconds: 0, endedBy: .callee, recording: "bridge-1.wav")))
        #expect(screen.contents.contains("  ~ bridging: the callee answers and hears \"Order line.\", presses 1 to accept\n"),
                "\(screen.contents)")
    }

    @Test func typeAheadSkipsThePrompt() async throws {
        let (backend, keys, screen) = Self.backend()
        keys.press("1")
        let r = try await backend.collect(Self.collect())
        #expect(r == CollectResult(digits: "1", ending: .maxDigits, promptsPlayed: 0))
        #expect(!screen.contents.contains("Press 1."))
    }

    @Test func digitsEndAtTerminatorOrInterDigitTimeout() async throws {
        let (backend, keys, _) = Self.backend()
        keys.press("1234#9")
        #expect(try await backend.collect(Self.collect(max: 10)) == CollectResult(digits: "1234", ending: .terminator, promptsPlayed: 0))
        // "9" stayed buffered; then nothing more: the inter-digit timeout ends it.
        #expect(try await backend.collect(Self.collect(max: 10)) == CollectResult(digits: "9", ending: .interDigitTimeout, promptsPlayed: 0))
    }

    /// The keys of a sensitive capture echo as `***`; a transfer to a
    /// sensitive destination prints `***`, and a tainted webhook URL its
    /// redacted form, while the request itself keeps the real values.
    @Test func sensitiveKeysAndDestinationsPrintStars() async throws {
        let keys = KeyInput(), screen = Screen()
        let backend = TerminalBackend(keys: keys, webhooks: { throw WebhookFailure("no answer from \($0.url)") },
                                      write: { screen.write($0) })
        keys.press("4321#")
        var request = Self.collect(max: 4, prompts: [])
        request.sensitive = true
        #expect(try await backend.collect(request).digits == "4321")
        var transfer = TransferRequest(kind: .extension, value: "4321", callerID: "+4321", timeout: 1000)
        transfer.sensitive = true
        transfer.callerIDSensitive = true
        #expect(try await backend.transfer(transfer) == .connected)
        var hook = WebhookRequest(method: "GET", url: "https://api.example/?pin=4321", body: nil, timeout: 1000)
        hook.redactedURL = "https://api.example/?pin=***"
        await #expect(throws: WebhookFailure.self) { try await backend.webhook(hook) }
        #expect(screen.contents.contains("  > ***\n"), "\(screen.contents)")
        #expect(screen.contents.contains("  ~ transferring to extension *** (caller ID ***)\n"))
        #expect(screen.contents.contains("  ~ GET https://api.example/?pin=***\n"))
        #expect(screen.contents.contains("  ~ webhook failed: no answer from https://api.example/?pin=***\n"))
        #expect(!screen.contents.contains("4321"), "\(screen.contents)")
    }

    @Test func keysArrivingDuringTheWait() async throws {
        let (backend, keys, _) = Self.backend()
        after(milliseconds: 100) { keys.press("4") }
        after(milliseconds: 200) { keys.press("2") }
        let r = try await backend.collect(Self.collect(max: 3, timeout: 2000, interDigit: 1000))
        #expect(r.digits == "42" && r.ending == .interDigitTimeout)
    }

    @Test func hangUpEndsTheWait() async throws {
        let (backend, keys, _) = Self.backend()
        after(milliseconds: 100) { keys.hangUp() }
        await #expect(throws: CallerHungUp(promptsStarted: 1)) { try await backend.collect(Self.collect(timeout: 5000)) }
    }

    /// The wait is an hour; the cancelled call ends long before (the time
    /// limit fails the test if the cancellation is ignored).
    @Test(.timeLimit(.minutes(2))) func cancellationIsAHangUp() async throws {
        let (backend, _, _) = Self.backend()
        let clock = ContinuousClock()
        let started = clock.now
        let call = Task(executorPreference: DedicatedExecutor.shared) { try await backend.collect(Self.collect(timeout: 3_600_000)) }
        try await Task.sleep(for: .milliseconds(50))
        call.cancel()
        await #expect(throws: CallerHungUp.self) { try await call.value }
        #expect(clock.now - started < .seconds(60))
    }

    @Test func keysFromAPipe() async throws {
        let pipe = Pipe()
        let keys = KeyInput(fd: pipe.fileHandleForReading.fileDescriptor)
        pipe.fileHandleForWriting.write(Data("x1\u{1b}[A#".utf8))
        let deadline = ContinuousClock.now + .seconds(2)
        #expect(await keys.next(until: deadline) == .key("1"))
        #expect(await keys.next(until: deadline) == .key("#"))
        pipe.fileHandleForWriting.write(Data([0x03]))  // Ctrl-C
        #expect(await keys.next(until: ContinuousClock.now + .seconds(10)) == .hungUp)
    }

    /// A pipe that ends after some keys: the keys first, then the hang-up.
    @Test func theEndOfAPipeComesAfterItsKeys() async throws {
        let pipe = Pipe()
        let keys = KeyInput(fd: pipe.fileHandleForReading.fileDescriptor)
        pipe.fileHandleForWriting.write(Data("12".utf8))
        try pipe.fileHandleForWriting.close()
        // Once the reader has seen the end, it is still no hang-up while keys are left.
        let seen = ContinuousClock.now + .seconds(60)
        while !keys.hasSeenEndOfInput, ContinuousClock.now < seen { try await Task.sleep(for: .milliseconds(5)) }
        try #require(keys.hasSeenEndOfInput)
        #expect(!keys.hasHungUp)
        let deadline = ContinuousClock.now + .seconds(2)
        #expect(await keys.next(until: deadline) == .key("1"))
        #expect(await keys.next(until: deadline) == .key("2"))
        #expect(await keys.next(until: deadline) == .hungUp)
    }
}

/// `ivrc run` in a real terminal: scripts/run-tmux-test.sh drives it under tmux.
@Suite struct RunTerminalTests {
    static var ivrcBinary: String? {
        let sibling = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("ivrc").path
        return [sibling, repositoryRoot + "/.build/debug/ivrc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `echo "1 12345678#" | ivrc run ...`: the piped keys drive the call,
    /// whose end is a hang-up at the next wait.
    @Test(.timeLimit(.minutes(1))) func keysFromAPipe() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("f.yaml", """
            ivr: piped
            nodes:
              menu:
                menu:
                  prompt: {say: "Press 1."}
                  options: {"1": code, "2": again}
              code:
                - capture: {prompt: {say: "Code?"}, into: code, min: 2, max: 4}
                - say: "Code ${code}"
                - transfer: {extension: "100"}
              again:
                - capture: {prompt: {say: "More?"}, into: more}
                - hangup
            """)
        let run = "printf \"$2\" | \"$0\" run \"$1/f.yaml\" --no-speech --records \"$1/calls.jsonl\""
        let transfer = try await runProcess("/bin/bash", ["-c", run, binary, folder.path, "1 42#"])
        #expect(transfer.status == 0)
        #expect(transfer.stdout.contains("Code 42") && transfer.stdout.contains("Call ended: transfer to extension 100"),
                "\(transfer.stdout)")
        let hangUp = try await runProcess("/bin/bash", ["-c", run, binary, folder.path, "2"])
        #expect(hangUp.stdout.contains("Call ended: caller-hangup at again"), "\(hangUp.stdout)")
        let records = try String(contentsOfFile: folder.file("calls.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(records.compactMap { CallRecord.parse(line: $0)?.outcome } == ["transfer", "caller-hangup"])
    }

    @Test(.enabled(if: TestTools.onPath("tmux"), TestTools.missing("tmux", package: "tmux")), .timeLimit(.minutes(3)))
    func tmuxSession() async throws {
        let binary = try #require(Self.ivrcBinary, "build the ivrc executable first (swift build)")
        let r = try await runProcess("/bin/bash", [repositoryRoot + "/scripts/run-tmux-test.sh", binary])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for scenario in ["menu-capture-webhook", "ctrl-c-hangs-up", "timeouts"] {
            #expect(r.stdout.contains("PASS \(scenario)\n"))
        }
    }
}
