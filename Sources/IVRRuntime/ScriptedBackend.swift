import Foundation

/// One token of a scripted caller (flow-language.md section 9).
public enum InputToken: Sendable, Equatable, CustomStringConvertible {
    /// Keys pressed in quick succession.
    case keys(String)
    /// `-`: silence until the wait times out.
    case silence
    /// `!`: the caller hangs up.
    case hangUp

    /// Parses `--input` text: tokens separated by spaces or commas
    /// (`callee: true` for `--callee-input`).
    public static func parse(_ text: String, callee: Bool = false) -> Result<[InputToken], InputTokenError> {
        var tokens: [InputToken] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            switch parse(token: String(word), callee: callee) {
            case .success(let t): tokens.append(t)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(tokens)
    }

    /// Parses one token: `-`, `!`, or keys `0-9 * #`; a callee's keys
    /// (`callee: true`, a bridged transfer's `confirm`) may be `A`-`D` too.
    public static func parse(token: String, callee: Bool = false) -> Result<InputToken, InputTokenError> {
        if token == "-" { return .success(.silence) }
        if token == "!" { return .success(.hangUp) }
        // On bytes: every allowed key is one ASCII byte, so a token whose
        // bytes are all keys is exactly one whose characters are.
        guard !token.isEmpty, token.utf8.allSatisfy({ isKey($0) || (callee && (UInt8(ascii: "A")...UInt8(ascii: "D")).contains($0)) }) else {
            return .failure(InputTokenError(token: token, callee: callee))
        }
        return .success(.keys(token))
    }

    /// `0-9`, `*` or `#`.
    private static func isKey(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "#")
    }

    public var description: String {
        switch self {
        case .keys(let k): k
        case .silence: "-"
        case .hangUp: "!"
        }
    }
}

/// A token that is not keys, `-` or `!`.
public struct InputTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    public var token: String
    /// A callee's token (A-D allowed).
    public var callee = false
    public init(token: String, callee: Bool = false) {
        self.token = token
        self.callee = callee
    }
    public var description: String {
        "invalid input token '\(token)': use keys (\(callee ? "0-9, *, #, A-D" : "0-9, *, #")), '-' for silence or '!' for hanging up"
    }
}

/// The deterministic caller of `simulate` and `test`: input tokens (one per
/// wait: a menu, a capture or a recording), a type-ahead buffer, a virtual
/// clock (timeouts advance it; nothing sleeps),
/// canned webhook answers by URL prefix and transfers that are answered
/// unless scripted otherwise (`transfers`).
///
/// A wait first uses keys already buffered (they cut its prompt: barge-in);
/// when it needs more it takes the next token, at most one per wait (a
/// dial-by-extension menu's further keys are the same wait). Keys a wait
/// does not consume stay buffered. Without tokens the caller is silent.
///
/// The keys of one token (and keys buffered from an earlier one) are pressed
/// in quick succession, within any inter-digit timeout; a new token comes
/// later, after the wait before it has ended. So a capture with a terminator
/// that ends at `max` digits takes the terminator when it is the next key
/// it already has (`"123456#"` for a capture of 6 digits: the `#` is
/// discarded), but never pulls a new token to look for one: the token
/// `"#"` after `"123456"` is the next wait's input. The capture ends at
/// once either way (no time passes waiting for a terminator).
public final class ScriptedBackend: MediaBackend {
    private var tokens: [InputToken]
    private var buffer: [Character] = []
    private let start: Date
    /// Virtual milliseconds since the call started.
    public private(set) var elapsed = 0
    /// Canned answers: the longest matching URL prefix wins.
    public var webhooks: [(prefix: String, response: WebhookResponse)]
    /// How transfers go, by destination value (default: answered).
    public var transfers = TransferScript()
    /// Destinations whose transfer is busy, matched by the real value only
    /// (`transfers` also matches the value shown, `***`): for tests that must
    /// tell which value was dialled.
    public var failingTransfers: Set<String> = []
    /// The callee's keys (`callee-input`, `--callee-input`): answer the
    /// `confirm` of the first bridged transfer that asks for one, one token
    /// for it.
    public var calleeTokens: [InputToken] = []
    /// Bridges placed, for the names of their recordings.
    private var bridges = 0
    /// The transfers the call dialled (answered or not), in order.
    public private(set) var transferRequests: [TransferRequest] = []
    /// Requests made, for tests.
    public private(set) var webhookRequests: [WebhookRequest] = []
    /// Live HTTP for webhooks without a canned answer (`simulate --live`).
    public var live: (@Sendable (WebhookRequest) async throws -> WebhookResponse)?
    private var recordings = 0

    public init(tokens: [InputToken], at start: Date = Date(timeIntervalSince1970: 0),
                webhooks: [(prefix: String, response: WebhookResponse)] = []) {
        self.tokens = tokens
        self.start = start
        self.webhooks = webhooks
    }

    public var now: Date { start.addingTimeInterval(Double(elapsed) / 1000) }

    /// Tokens not used by the call.
    public var remainingTokens: [InputToken] { tokens }

    // The scripted caller answers every request at once: the methods are
    // synchronous (they still satisfy `MediaBackend`'s async ones), so
    // `ScriptedCallDriver` runs a call without suspending.

    public func play(file: String, transcript: String?) {}

    public func say(text: String, voice: String?, language: String?) {}

    public func collect(_ request: CollectRequest) throws -> CollectResult {
        let bargedIn = !buffer.isEmpty
        var pulled = request.continuesWait
        /// Takes the next token into the buffer; false when the caller is silent.
        func refill() throws -> Bool {
            guard !pulled else { return false }
            pulled = true
            guard !tokens.isEmpty else { return false }
            switch tokens.removeFirst() {
            case .silence: return false
            case .hangUp: throw CallerHungUp(promptsStarted: bargedIn ? 0 : min(1, request.prompts.count))
            case .keys(let keys): buffer.append(contentsOf: keys); return true
            }
        }
        let played = bargedIn ? 0 : request.prompts.count
        var digits = ""
        while true {
            if buffer.isEmpty, try !refill() { break }
            let key = buffer.removeFirst()
            if let terminator = request.terminator, key == terminator {
                return CollectResult(digits: digits, ending: .terminator, promptsPlayed: played)
            }
            digits.append(key)
            if digits.count >= request.maxDigits {
                if request.takesTrailingTerminator, let terminator = request.terminator, buffer.first == terminator {
                    buffer.removeFirst()
                }
                return CollectResult(digits: digits, ending: .maxDigits, promptsPlayed: played)
            }
        }
        if digits.isEmpty {
            elapsed += request.timeout
            return CollectResult(digits: "", ending: .timeout, promptsPlayed: played)
        }
        elapsed += request.interDigitTimeout
        return CollectResult(digits: digits, ending: .interDigitTimeout, promptsPlayed: played)
    }

    /// The scripted result, at once; a transfer nobody answers rings for
    /// its ring time (`timeout`) first. A `bridge` that is answered is
    /// bridged (ring 0 s, talk 0 s, the callee hangs up) once its
    /// `confirm`, if any, is pressed: the callee's next token must hold the
    /// key; no token, `-` or other keys wait out `confirm-timeout` and the
    /// attempt is no-answer. A `bridge` that fails is an unanswered bridge
    /// (ringing for its ring time when nobody answers, else 0 s), so the
    /// record carries it. The scripted caller accepts every REFER, so an
    /// `auto` transfer connects by REFER.
    public func transfer(_ request: TransferRequest) throws -> TransferResult {
        transferRequests.append(request)
        let result = failingTransfers.contains(request.value) ? .busy : transfers.result(for: request)
        switch result {
        case .answered where request.via == .bridge:
            if let key = request.bridge.confirm {
                let token = calleeTokens.isEmpty ? nil : calleeTokens.removeFirst()
                guard case .keys(let keys)? = token, keys.contains(key) else {
                    elapsed += request.bridge.confirmTimeout
                    return .bridged(.unanswered(ringSeconds: 0, failure: TransferOutcome.noAnswer.rawValue))
                }
            }
            bridges += 1
            return .bridged(BridgeSummary(ringSeconds: 0, answered: true, talkSeconds: 0, endedBy: .callee,
                                          recording: request.bridge.record ? "bridge-\(bridges).wav" : nil))
        case .answered: return .connected
        case .noAnswer:
            elapsed += request.timeout
            return request.via == .bridge ? .bridged(.unanswered(ringSeconds: Double(request.timeout) / 1000, failure: result.rawValue))
                : .failed(result.rawValue)
        default:
            return request.via == .bridge ? .bridged(.unanswered(ringSeconds: 0, failure: result.rawValue)) : .failed(result.rawValue)
        }
    }

    /// A recording is a wait too, and takes one token: `!` hangs up during
    /// it; keys that include the finish key end it there (keys after that
    /// key stay buffered for the next wait; keys before it are part of the
    /// message); `-`, other keys or no token end it at the silence
    /// timeout. Keys already buffered are read first, the same way.
    public func record(_ request: RecordRequest) throws -> String {
        recordings += 1
        let file = "recording-\(recordings).wav"
        func finished(in keys: inout [Character]) -> Bool {
            guard let finish = request.finishOn, let at = keys.firstIndex(of: finish) else {
                keys.removeAll()
                return false
            }
            keys.removeSubrange(...at)
            return true
        }
        if !buffer.isEmpty, finished(in: &buffer) { return file }
        if !tokens.isEmpty {
            switch tokens.removeFirst() {
            case .hangUp: throw CallerHungUp(promptsStarted: 0)
            case .silence: break
            case .keys(let keys):
                var pressed = Array(keys)
                if finished(in: &pressed) {
                    buffer.append(contentsOf: pressed)
                    return file
                }
            }
        }
        elapsed += request.silence
        return file
    }

    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        guard let live else { return try cannedWebhook(request) }
        webhookRequests.append(request)
        if let canned = CannedWebhooks.answer(for: request, in: webhooks) { return canned }
        return try await live(request)
    }

    /// `webhook` without `live`: the canned answer, else a failure.
    public func cannedWebhook(_ request: WebhookRequest) throws(WebhookFailure) -> WebhookResponse {
        webhookRequests.append(request)
        if let canned = CannedWebhooks.answer(for: request, in: webhooks) { return canned }
        throw WebhookFailure("no canned response for \(request.shownURL) (simulate: --webhook PREFIX=JSON or --live; "
                             + "a test case: webhooks:)")
    }

    public func hangup() {}

    /// No callee audio to listen to: the beep or the silence is there at once.
    public func waitForCallee(_ wait: CalleeWait) -> Bool { true }
}
