import Foundation
import IVRRuntime

/// `ivrc run`: a live call in the terminal. Prompts are printed (and spoken
/// when a `Speaker` can), keys typed are DTMF, and every timeout is real.
///
/// - A key typed while a prompt plays stops it (barge-in) and is input; keys
///   typed ahead stay buffered, and a wait that starts with keys buffered
///   skips its prompts.
/// - On a terminal, keys typed into a wait for several keys are echoed on a
///   status line with the time left before the entry ends (`KeyEcho`).
/// - A capture that reached `max` digits ends at once; its terminator, typed
///   within the inter-digit timeout after that, is discarded (it never
///   reaches the next wait); any other key is the next wait's.
/// - Ctrl-C (or the end of input) is the caller hanging up: the current wait
///   ends and the call ends with outcome `caller-hangup`.
/// - Transfers connect (the line shows where the call would go) unless
///   `transfers` scripts another result (`--transfer`): then the transfer's
///   `on-fail` runs at once. `record` waits for the finish key or the
///   maximum time; webhooks go to `webhooks` (real HTTP in `ivrc run`).
/// - The clock is the real one, or starts at `at` (`--at`, for `open()`)
///   and runs on in real time.
public final class TerminalBackend: MediaBackend {
    let keys: KeyInput
    let speaker: Speaker
    let write: @Sendable (String) -> Void
    /// Echo keys as they are typed, on a status line redrawn in place
    /// (`KeyEcho`): for a terminal, not for a pipe or a file.
    let echoKeys: Bool
    /// Webhooks: real HTTP, or a failure when nil.
    let webhooks: (@Sendable (WebhookRequest) async throws -> WebhookResponse)?
    /// How transfers go, by destination value (default: answered).
    public var transfers = TransferScript()
    /// Seconds between the call's clock and the real one (0 without `at`).
    private let clockOffset: TimeInterval
    private var recordings = 0

    public init(keys: KeyInput, speaker: Speaker = .silent,
                webhooks: (@Sendable (WebhookRequest) async throws -> WebhookResponse)? = nil,
                echoKeys: Bool = false,
                at start: Date? = nil,
                write: @escaping @Sendable (String) -> Void = TerminalBackend.standardOutput) {
        self.keys = keys
        self.echoKeys = echoKeys
        self.speaker = speaker
        self.webhooks = webhooks
        self.clockOffset = start.map { $0.timeIntervalSinceNow } ?? 0
        self.write = write
    }

    /// Writes straight to standard output (no buffering: partial lines show at once).
    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public var now: Date { Date(timeIntervalSinceNow: clockOffset) }

    public func play(file: String, transcript: String?) async throws {
        _ = try await present(.play(file: file, transcript: transcript), interruptible: false)
    }

    public func say(text: String, voice: String?, language: String?) async throws {
        _ = try await present(.say(text: text, voice: voice, language: language), interruptible: false)
    }

    public func collect(_ request: CollectRequest) async throws -> CollectResult {
        var played = 0
        if !keys.hasKeys {
            for prompt in request.prompts {
                played += 1
                if try await present(prompt, interruptible: true, started: played) { break }
            }
        }
        let what = request.maxDigits == 1 ? "a key" : "keys" + (request.terminator.map { ", then \($0)" } ?? "")
        write("  ... waiting for \(what) (\(Self.seconds(request.timeout)))\n")
        var digits = ""
        var echo = KeyEcho(request, enabled: echoKeys, write: write)
        var deadline = ContinuousClock.now + .milliseconds(request.timeout)
        func finish(_ ending: CollectResult.Ending, terminated: Bool = false) -> CollectResult {
            echo.clear()
            let typed = request.sensitive && !digits.isEmpty ? CallVM.redacted : digits
            let shown = typed + (terminated ? String(request.terminator ?? "#") : "")
            write(shown.isEmpty ? "  (no key: timeout)\n" : "  > \(shown)\n")
            return CollectResult(digits: digits, ending: ending, promptsPlayed: played)
        }
        while true {
            switch await keys.next(until: echo.wake(before: deadline)) {
            case .hungUp:
                echo.clear()
                throw CallerHungUp(promptsStarted: played)
            case .timedOut:
                if ContinuousClock.now < deadline {  // only the countdown moved
                    echo.show(digits, until: deadline)
                    continue
                }
                return finish(digits.isEmpty ? .timeout : .interDigitTimeout)
            case .key(let key):
                if let terminator = request.terminator, key == terminator { return finish(.terminator, terminated: true) }
                digits.append(key)
                if digits.count >= request.maxDigits {
                    let typed = request.takesTrailingTerminator && request.terminator.map {
                        keys.discardNext($0, within: .milliseconds(request.interDigitTimeout))
                    } == true
                    return finish(.maxDigits, terminated: typed)
                }
                deadline = ContinuousClock.now + .milliseconds(request.interDigitTimeout)
                echo.show(digits, until: deadline)
            }
        }
    }

    public func transfer(_ request: TransferRequest) async throws -> TransferResult {
        if keys.hasHungUp || Task.isCancelled { throw CallerHungUp() }
        write("  ~ transferring to \(request.kind) \(request.shownValue)" + (request.shownCallerID.map { " (caller ID \($0))" } ?? "") + "\n")
        let result = transfers.result(for: request)
        guard result == .answered else {
            write("  ~ \(result.rawValue) (--transfer): taking on-fail\n")
            return .failed(result.rawValue)
        }
        guard request.via == .bridge else { return .connected }
        // No one is at the other end: the callee answers, hears the whisper, confirms and hangs up at once.
        let whisper = request.bridge.whisper.map { item -> String in
            switch item {
            case .say(let text, _, _): "\"\(text)\""
            case .play(let file, let transcript): transcript.map { "\"\($0)\"" } ?? file
            }
        }
        write("  ~ bridging: the callee answers"
              + (whisper.isEmpty ? "" : " and hears " + whisper.joined(separator: ", "))
              + (request.bridge.confirm.map { ", presses \($0) to accept" } ?? "") + "\n")
        return .bridged(BridgeSummary(ringSeconds: 0, answered: true, talkSeconds: 0, endedBy: .callee,
                                      recording: request.bridge.record ? "bridge-1.wav" : nil))
    }

    public func record(_ request: RecordRequest) async throws -> String {
        recordings += 1
        if request.beep { write("  ~ beep\n") }
        let finish = request.finishOn.map { ", or press \($0) to finish" } ?? ""
        write("  ~ recording (up to \(Self.seconds(request.maxDuration))\(finish))\n")
        let deadline = ContinuousClock.now + .milliseconds(request.maxDuration)
        while true {
            switch await keys.next(until: deadline) {
            case .hungUp: throw CallerHungUp()
            case .timedOut: return "recording-\(recordings).wav"
            case .key(let key): if key == request.finishOn { return "recording-\(recordings).wav" }
            }
        }
    }

    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        if keys.hasHungUp || Task.isCancelled { throw CallerHungUp() }
        write("  ~ \(request.method) \(request.shownURL)\n")
        guard let webhooks else { throw WebhookFailure("webhooks are off") }
        do {
            let response = try await webhooks(request)
            write("  ~ HTTP \(response.status)\n")
            return response
        } catch let failure as WebhookFailure {
            write("  ~ webhook failed: \(request.redacting(failure.reason))\n")
            throw failure
        }
    }

    public func hangup() async {
        write("  ~ the IVR hangs up\n")
    }

    /// Prints (and speaks) one prompt. With `interruptible`, a key or a
    /// hang-up stops it; returns true when a key did (barge-in).
    func present(_ prompt: PromptItem, interruptible: Bool, started: Int = 0) async throws -> Bool {
        if keys.hasHungUp || Task.isCancelled { throw CallerHungUp(promptsStarted: started) }
        let text: String, language: String?
        switch prompt {
        case .play(let file, let transcript):
            write("  ♪ \(file)" + (transcript.map { ": \($0)" } ?? "") + "\n")
            text = transcript ?? ""
            language = nil
        case .say(let t, _, let l):
            write("  \(t)\n")
            text = t
            language = l
        }
        guard let speech = speaker.start(text, language: language) else { return interruptible && keys.hasKeys }
        defer { if speech.isRunning { speech.terminate() } }
        while speech.isRunning {
            if keys.hasHungUp || Task.isCancelled { throw CallerHungUp(promptsStarted: started) }
            if interruptible, keys.hasKeys { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return interruptible && keys.hasKeys
    }

    /// `7s`, `2.5s`.
    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : String(format: "%.1fs", Double(ms) / 1000)
    }
}
