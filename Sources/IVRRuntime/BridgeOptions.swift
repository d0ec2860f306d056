/// How a transfer connects the caller (flow-language 5.3, `via`): `refer`
/// asks the caller's side to place the new call (a blind SIP REFER);
/// `bridge` has ivrc place it and join the two parties, staying in the
/// media path; `auto` sends REFER and bridges when the REFER is refused or
/// the caller's side does not allow REFER.
public enum TransferVia: String, Sendable, Equatable, CaseIterable {
    case refer, bridge, auto
}

/// A regional ring cadence played to the caller while a bridged
/// transfer's callee rings (`ringback: tone`, or `ringback: {tone: uk}`).
public enum RingbackTone: String, Sendable, Equatable, CaseIterable {
    /// North America: 440 + 480 Hz, 2 s on, 4 s off (the default).
    case us
    /// United Kingdom: 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
    case uk
    /// Most of Europe (CEPT): 425 Hz, 1 s on, 4 s off.
    case eu
    /// Japan: 400 Hz modulated at 16 Hz, 1 s on, 2 s off.
    case jp
}

/// What a bridged transfer does besides ringing the destination
/// (flow-language 5.3). Ignored by `refer`.
public struct BridgeOptions: Sendable, Equatable {
    /// What the caller hears while the callee rings.
    public enum Ringback: Sendable, Equatable {
        case tone(RingbackTone)
        /// Media steps, repeated until the callee answers.
        case media([PromptItem])
    }
    public var ringback: Ringback
    /// Played to the callee only, after they answer and before the parties are joined.
    public var whisper: [PromptItem]
    /// The key the callee must press (after the whisper) to accept; nil: none.
    public var confirm: Character?
    /// Milliseconds the callee has to press `confirm`; after that the attempt counts as no-answer.
    public var confirmTimeout: Int
    /// Both sides recorded to one stereo WAV: caller left, callee right.
    public var record: Bool
    /// Milliseconds after which the bridge ends (both sides hung up); nil: no limit.
    public var maxDuration: Int?

    public static let defaultConfirmTimeout = 10_000

    public init(ringback: Ringback = .tone(.us), whisper: [PromptItem] = [], confirm: Character? = nil,
                confirmTimeout: Int = BridgeOptions.defaultConfirmTimeout, record: Bool = false, maxDuration: Int? = nil) {
        self.ringback = ringback
        self.whisper = whisper
        self.confirm = confirm
        self.confirmTimeout = confirmTimeout
        self.record = record
        self.maxDuration = maxDuration
    }
}

/// How a bridge went, once it is over: what the call record carries
/// (`bridge`) and reports sum up.
public struct BridgeSummary: Sendable, Equatable {
    /// Who ended the bridge.
    public enum Ender: String, Sendable, Equatable, CaseIterable {
        case caller, callee
        /// `max-duration` ran out.
        case maxDuration = "max-duration"
        /// The server stopped, or media failed.
        case system
    }
    /// Seconds from the B leg's INVITE to its answer (or to the failure).
    public var ringSeconds: Double
    /// The callee answered (and pressed `confirm`, when asked).
    public var answered: Bool
    /// Seconds the two parties were joined.
    public var talkSeconds: Double
    /// Who hung up; nil when the callee never answered.
    public var endedBy: Ender?
    /// The stereo recording (a file name), when `record: true`.
    public var recording: String?
    /// Why the callee did not take the call (`486 Busy Here`, `408 no
    /// answer (rang 30.0 s)`, a `confirm` not pressed), when not answered:
    /// the transfer then fails with it and its `on-fail` runs.
    public var failure: String?

    public init(ringSeconds: Double, answered: Bool, talkSeconds: Double, endedBy: Ender?, recording: String? = nil,
                failure: String? = nil) {
        self.ringSeconds = ringSeconds
        self.answered = answered
        self.talkSeconds = talkSeconds
        self.endedBy = endedBy
        self.recording = recording
        self.failure = failure
    }

    /// An attempt the callee did not take, after `ringSeconds` of ringing.
    public static func unanswered(ringSeconds: Double, failure: String) -> BridgeSummary {
        BridgeSummary(ringSeconds: ringSeconds, answered: false, talkSeconds: 0, endedBy: nil, failure: failure)
    }
}
