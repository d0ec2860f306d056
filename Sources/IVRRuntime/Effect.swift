import IVRBytecode

import Foundation

/// A prompt to play: recorded audio or text to speak.
public enum PromptItem: Sendable, Equatable {
    case play(file: String, transcript: String?)
    case say(text: String, voice: String?, language: String?)
}

/// Wait for keys. The prompts play first; a key pressed during them (or
/// buffered before) cuts them (barge-in) and counts as input.
public struct CollectRequest: Sendable, Equatable {
    public var prompts: [PromptItem]
    public var maxDigits: Int
    /// Milliseconds to wait for the first key.
    public var timeout: Int
    /// Milliseconds to wait between keys.
    public var interDigitTimeout: Int
    /// Ends collection; not part of the digits.
    public var terminator: Character?
    /// The same wait goes on (a dial-by-extension menu collecting more keys
    /// after the first): real callers just keep typing; the scripted caller
    /// takes no new token for it.
    public var continuesWait = false
    /// The keys are for a `sensitive: true` capture: a backend that echoes
    /// keys (`ivrc run`) shows `***`.
    public var sensitive = false
    /// A capture with a terminator: when collection ends at `maxDigits`, a
    /// `terminator` pressed within the inter-digit timeout still belongs to
    /// this wait and is discarded (callers told "then press hash" press it
    /// even when the digits are complete). Any other key stays buffered for
    /// the next wait. The capture ends at once: live backends drop that
    /// terminator when it is the next key within `interDigitTimeout`; the
    /// scripted caller takes it only from the keys it already has.
    public var takesTrailingTerminator = false
}

/// What a wait heard.
public struct CollectResult: Sendable, Equatable {
    /// Why collection stopped.
    public enum Ending: Sendable, Equatable { case terminator, maxDigits, interDigitTimeout, timeout }
    public var digits: String
    public var ending: Ending
    /// How many of the request's prompts were played (fully or until barge-in).
    public var promptsPlayed: Int

    public init(digits: String, ending: Ending, promptsPlayed: Int) {
        self.digits = digits
        self.ending = ending
        self.promptsPlayed = promptsPlayed
    }
}

/// A blind transfer. `kind` is number, extension, sip, conference, group or app.
/// `value` and `callerID` are the real ones (the transfer goes there); what
/// is shown of them (events, records, logs) is `shownValue` / `shownCallerID`.
public struct TransferRequest: Sendable, Equatable {
    public var kind: DestinationKind
    public var value: String
    public var callerID: String?
    /// Ring time in milliseconds.
    public var timeout: Int
    /// The destination was made from a sensitive value: it shows as `***`.
    public var sensitive = false
    /// The caller ID was made from a sensitive value: it shows as `***`.
    public var callerIDSensitive = false
    /// How the caller is connected: the step's `via`, else the manifest's
    /// `sip.transfer`, else `refer`. `ivr:` transfers never get here.
    public var via: TransferVia = .refer
    /// Ringback, whisper, confirm, recording and limit of a bridge.
    public var bridge = BridgeOptions()

    public init(kind: DestinationKind, value: String, callerID: String?, timeout: Int) {
        self.kind = kind
        self.value = value
        self.callerID = callerID
        self.timeout = timeout
    }

    /// The destination as events, records and logs show it.
    public var shownValue: String { sensitive ? CallVM.redacted : value }
    /// The caller ID as events and logs show it.
    public var shownCallerID: String? { callerIDSensitive ? callerID.map { _ in CallVM.redacted } : callerID }
}

/// How a transfer went.
public enum TransferResult: Sendable, Equatable {
    /// Handed over (REFER accepted): the IVR's part of the call is over.
    case connected
    /// Bridged, and the bridge is now over (either side hung up, or
    /// `max-duration`): the call is over.
    case bridged(BridgeSummary)
    /// Busy, no answer, rejected.
    case failed(String)
}

/// `wait: {for: beep | silence, timeout}`: wait for the callee's
/// answering-machine beep, or for a second of silence, at most `timeout` ms.
public struct CalleeWait: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case beep, silence }
    public var kind: Kind
    public var timeout: Int
    public init(kind: Kind, timeout: Int) {
        self.kind = kind
        self.timeout = timeout
    }
}

/// Record the caller (milliseconds; `finishOn` ends it early).
public struct RecordRequest: Sendable, Equatable {
    public var maxDuration: Int
    public var beep: Bool
    public var finishOn: Character?
    public var silence: Int
}

/// An HTTP request of a `webhook` step, interpolated. `url` and `body` are
/// what is sent; what is shown of the URL (events, logs) is `shownURL`.
public struct WebhookRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    /// JSON text (POST only). Never shown anywhere: it may carry sensitive values (over https).
    public var body: String?
    public var timeout: Int
    /// The URL with each sensitive part as `***`, when it has one (nil: shown as is).
    public var redactedURL: String?

    public init(method: String, url: String, body: String?, timeout: Int) {
        self.method = method
        self.url = url
        self.body = body
        self.timeout = timeout
    }

    /// The URL as events and logs show it.
    public var shownURL: String { redactedURL ?? url }

    /// A message about this request (a failure's reason) with the real URL
    /// replaced by `shownURL`.
    public func redacting(_ message: String) -> String {
        guard let redactedURL else { return message }
        return message.replacingOccurrences(of: url, with: redactedURL)
    }
}

/// An HTTP answer: status and body bytes.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// The request could not be made or answered (no route, timeout, no canned response).
public struct WebhookFailure: Error, Sendable, Equatable {
    public var reason: String
    /// The HTTP status when the server answered (a status outside 200-299).
    public var status: Int?
    public init(_ reason: String, status: Int? = nil) {
        self.reason = reason
        self.status = status
    }
}

/// The caller hung up. `promptsStarted` counts the prompts of the wait that
/// had begun playing when it happened.
public struct CallerHungUp: Error, Sendable, Equatable {
    public var promptsStarted: Int
    public init(promptsStarted: Int = 0) { self.promptsStarted = promptsStarted }
}

/// What kind of wait a caller's keys answered (the `kind` of a record's input).
public enum InputKind: String, Sendable, Equatable {
    case menu
    case capture
    /// A number keyed into a menu's dial-by-extension.
    case `extension`
}

/// What the interpreter needs from the world, or tells it. The driver
/// performs it on the media backend and resumes the machine.
public enum Effect: Sendable, Equatable {
    // Observations: nothing to perform; resume with `.none`.
    case enterNode(String)
    case enterFlow(String)
    /// Keys read by a wait, and which kind of wait.
    case input(String, kind: InputKind)
    case timeout
    case invalid(String)
    /// A transfer refused by its `allow` pattern (it takes `on-fail`).
    case refused(kind: DestinationKind, value: String)
    // Requests to the world.
    case play(file: String, transcript: String?)
    case say(text: String, voice: String?, language: String?)
    case collect(CollectRequest)
    case transfer(TransferRequest)
    case record(RecordRequest)
    case webhook(WebhookRequest)
    case waitCallee(CalleeWait)
    /// The flow hangs up: the call is over.
    case hangup
    /// The bundle went wrong at run time (a loop that never waits); the call is over.
    case error(String)
}

/// How the world answered an effect.
public enum Resumption: Sendable {
    case none
    case collected(CollectResult)
    case transferFailed(String)
    case recorded(String)
    case webhook(Result<WebhookResponse, WebhookFailure>)
}
