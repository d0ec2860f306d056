import Foundation

/// One thing that happened during a call, at a node.
public struct CallEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case play(file: String, transcript: String?)
        case say(text: String)
        /// Keys pressed ("***" when sensitive).
        case input(String)
        case timeout
        case invalid(String)
        case webhook(url: String, status: Int?, error: String?)
        case transfer(kind: String, value: String)
        case transferFailed(kind: String, value: String, reason: String)
        case record(String)
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
        case .input(let digits): return obj("input", [("digits", .string(digits))])
        case .timeout: return obj("timeout", [])
        case .invalid(let digits): return obj("invalid", [("digits", .string(digits))])
        case .webhook(let url, let status, let error):
            return obj("webhook", [("url", .string(url)), ("status", status.map { .number(String($0)) } ?? .null)]
                       + (error.map { [("error", JSON.string($0))] } ?? []))
        case .transfer(let kind, let value): return obj("transfer", [("kind", .string(kind)), ("value", .string(value))])
        case .transferFailed(let kind, let value, let reason):
            return obj("transfer-failed", [("kind", .string(kind)), ("value", .string(value)), ("reason", .string(reason))])
        case .record(let location): return obj("record", [("file", .string(location))])
        case .hangup: return obj("hangup", [])
        case .callerHangup: return obj("caller-hangup", [])
        case .error(let message): return obj("error", [("message", .string(message))])
        }
    }
}

/// Everything about one call: what `simulate --json` prints and what the
/// call-record log keeps (one JSON line per call).
public struct CallRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case transfer, hangup, callerHangup = "caller-hangup", error
    }
    public var flow: String
    public var outcome: Outcome
    /// (kind, value) of a completed transfer.
    public var destination: (kind: String, value: String)?
    public var visited: [String]
    /// `visited` with the flow of each node (for test coverage).
    public var path: [(flow: String, node: String)] = []
    public var events: [CallEvent]
    /// User variables by name, sensitive ones already redacted.
    public var variables: [(name: String, value: String)]
    public var caller: String
    public var start: Date
    public var end: Date

    public static func == (a: CallRecord, b: CallRecord) -> Bool { a.json == b.json && a.start == b.start }

    /// The `simulate --json` object, keys in the toolchain spec's order.
    public var json: JSON {
        .object([
            ("flow", .string(flow)),
            ("outcome", .string(outcome.rawValue)),
            ("destination", destination.map { .object([("kind", .string($0.kind)), ("value", .string($0.value))]) } ?? .null),
            ("visited", .array(visited.map(JSON.string))),
            ("events", .array(events.map(\.json))),
            ("variables", .object(variables.map { ($0.name, JSON.string($0.value)) })),
        ])
    }

    /// The call-record log line: the summary plus caller and times.
    public var logLine: String {
        guard case .object(var pairs) = json else { return json.serialized }
        let formatter = ISO8601DateFormatter()
        pairs.insert(("caller", .string(caller)), at: 1)
        pairs.append(("start", .string(formatter.string(from: start))))
        pairs.append(("end", .string(formatter.string(from: end))))
        pairs.append(("duration", .number(String(format: "%.3f", end.timeIntervalSince(start)))))
        return JSON.object(pairs).serialized
    }
}
