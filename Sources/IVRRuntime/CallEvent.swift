import Foundation

/// One thing that happened during a call, at a node.
public struct CallEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: Sendable, Equatable {
        case play(file: String, transcript: String?)
        case say(text: String)
        /// Keys pressed ("***" when sensitive) and what read them.
        case input(String, kind: InputKind)
        case timeout
        case invalid(String)
        case webhook(url: String, status: Int?, error: String?)
        /// A transfer that connected; `bridge` when ivrc bridged it (the
        /// bridge is over by the time the event is noted).
        case transfer(kind: String, value: String, bridge: BridgeSummary? = nil)
        /// A transfer that did not connect (`result` is never `answered`);
        /// the call goes on at the transfer's `on-fail`.
        case transferFailed(kind: String, value: String, result: TransferOutcome, reason: String)
        case record(String)
        /// A `wait` ended: the beep (or the silence) came, or the timeout.
        case waited(for: String, heard: Bool)
        case hangup
        case callerHangup
        case error(String)
    }
    public var kind: Kind
    public var node: String
    /// The flow the node belongs to (not in the JSON: `ivr:` transfers show in `visited`).
    public var flow: String

    public init(_ kind: Kind, node: String, flow: String = "") {
        self.kind = kind
        self.node = node
        self.flow = flow
    }

    /// Text a caller heard, for `heard:` expectations.
    public var heardText: String? {
        switch kind {
        case .say(let text): text
        case .play(let file, let transcript): transcript ?? file
        default: nil
        }
    }

    public var json: JSON {
        func obj(_ name: String, _ fields: [(String, JSON)]) -> JSON {
            .object([("event", .string(name))] + fields + [("node", .string(node))])
        }
        switch kind {
        case .play(let file, let transcript):
            return obj("play", [("file", .string(file))] + (transcript.map { [("transcript", JSON.string($0))] } ?? []))
        case .say(let text): return obj("say", [("text", .string(text))])
        case .input(let digits, _): return obj("input", [("digits", .string(digits))])
        case .timeout: return obj("timeout", [])
        case .invalid(let digits): return obj("invalid", [("digits", .string(digits))])
        case .webhook(let url, let status, let error):
            return obj("webhook", [("url", .string(url)), ("status", status.map { .number(String($0)) } ?? .null)]
                       + (error.map { [("error", JSON.string($0))] } ?? []))
        case .transfer(let kind, let value, nil): return obj("transfer", [("kind", .string(kind)), ("value", .string(value))])
        case .transfer(let kind, let value, let b?):
            let bridge = JSON.object([("ringSeconds", .number(String(b.ringSeconds))), ("answered", .bool(b.answered)),
                                      ("talkSeconds", .number(String(b.talkSeconds))),
                                      ("hangupBy", b.endedBy.map { .string($0.rawValue) } ?? .null)]
                                     + (b.recording.map { [("recording", JSON.string($0))] } ?? []))
            return obj("transfer", [("kind", .string(kind)), ("value", .string(value)), ("via", .string("bridge")),
                                    ("bridge", bridge)])
        case .transferFailed(let kind, let value, let result, let reason):
            return obj("transfer-failed", [("kind", .string(kind)), ("value", .string(value)),
                                           ("result", .string(result.rawValue)), ("reason", .string(reason))])
        case .record(let location): return obj("record", [("file", .string(location))])
        case .waited(let kind, let heard): return obj("wait", [("for", .string(kind)), ("heard", .bool(heard))])
        case .hangup: return obj("hangup", [])
        case .callerHangup: return obj("caller-hangup", [])
        case .error(let message): return obj("error", [("message", .string(message))])
        }
    }
}
