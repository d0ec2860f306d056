import Foundation

/// Everything about one call as the interpreter saw it: what `simulate
/// --json` prints and `test` checks. `record(...)` condenses it into the
/// shared `CallRecord` of the call-record log.
public struct CallReport: Sendable, Equatable {
    /// How the call ended.
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
    /// The transfers that failed (their `on-fail` ran): each one's flow and
    /// the offset of its instruction in that flow's code (test coverage).
    public var failedTransfers: [(flow: String, offset: Int)] = []
    /// How the completed transfer connected: `refer` or `bridge`
    /// (an `auto` one says which it became); nil without a transfer.
    public var via: TransferVia?
    /// The completed transfer's bridge, when it was bridged; else the last
    /// bridge attempt the callee did not take (`answered` false), if any.
    public var bridge: BridgeSummary?
    /// The destination of such an unanswered `bridge` (nil: `destination`).
    public var bridgeDestination: (kind: String, value: String)?
    /// A condition read the clock (`open()`): the call depended on the date.
    public var readClock = false
    /// Executed instructions (`flow@offset  OPCODE operands`), when traced.
    public var trace: [String] = []
    public var events: [CallEvent]
    /// User variables by name, sensitive ones already redacted.
    public var variables: [(name: String, value: String)]
    /// The real values behind the `***` of `variables` and `destination`.
    /// Never printed, recorded or posted: only `ivrc test` reads them, to
    /// compare a case's expectations with what the call really held.
    public var hidden = Hidden()
    public var caller: String
    public var start: Date
    public var end: Date

    /// See `hidden`.
    public struct Hidden: Sendable, Equatable {
        /// Sensitive variables by name.
        public var variables: [String: String] = [:]
        /// The destination of a transfer to a sensitive value.
        public var destination: String?
    }

    public static func == (a: CallReport, b: CallReport) -> Bool { a.json == b.json && a.start == b.start }

    /// The `simulate --json` object, keys in the toolchain spec's order.
    public var json: JSON {
        .object([
            ("flow", .string(flow)),
            ("outcome", .string(outcome.rawValue)),
            ("destination", destination.map {
                .object([("kind", .string($0.kind)), ("value", .string($0.value))] + (via == .bridge ? [("via", .string("bridge"))] : []))
            } ?? .null),
            ("visited", .array(visited.map(JSON.string))),
            ("events", .array(events.map(\.json))),
            ("variables", .object(variables.map { ($0.name, Self.jsonValue($0.value)) })),
        ])
    }

    /// A variable's value in `simulate --json`: a string, except a webhook's
    /// `into` variable, which holds the JSON object the server answered and
    /// is shown as that object (`"customer":{"tier":"gold"}`); the fields the
    /// flow read are listed as well (`"customer.tier":"gold"`).
    static func jsonValue(_ value: String) -> JSON {
        guard value.hasPrefix("{"), let parsed = JSONParser.parse(Array(value.utf8)), case .object = parsed else {
            return .string(value)
        }
        return parsed
    }

    /// The call-record log entry (`CallRecord`): path, menu and capture
    /// inputs (already redacted), outcome and times.
    public func record(id: String, backend: String, to: String? = nil) -> CallRecord {
        var error: String?
        var inputs: [CallRecord.Input] = []
        var transferFailures: [CallRecord.TransferFailure] = []
        for (i, e) in events.enumerated() {
            switch e.kind {
            case .input(let digits, let kind):
                // A refusal (by a menu or a capture) is the event right after the keys.
                var refused = false
                if i + 1 < events.count, case .invalid = events[i + 1].kind { refused = true }
                inputs.append(CallRecord.Input(node: e.node, digits: digits, kind: kind.rawValue,
                                               sensitive: digits == CallVM.redacted ? true : nil,
                                               invalid: refused ? true : nil,
                                               flow: e.flow.isEmpty || e.flow == flow ? nil : e.flow))
            case .error(let message): error = message
            case .transferFailed(let kind, let value, let result, let reason):
                transferFailures.append(CallRecord.TransferFailure(kind: kind, value: value, result: result.rawValue, reason: reason))
            default: break
            }
        }
        var record = CallRecord(id: id, flow: flow, from: caller, to: to, backend: backend, start: start, answer: start,
                                end: end, outcome: outcome.rawValue,
                                destination: destination.map { CallRecord.Destination(kind: $0.kind, value: $0.value) },
                                path: visited, inputs: inputs, error: error,
                                pathFlows: path.count == visited.count && path.contains { $0.flow != flow } ? path.map(\.flow) : nil)
        record.transferFailures = transferFailures.isEmpty ? nil : transferFailures
        if let bridge, let destination = bridgeDestination ?? destination {
            record.bridge = CallRecord.Bridge(destination: CallRecord.Destination(kind: destination.kind, value: destination.value),
                                              summary: bridge)
        }
        return record
    }
}
