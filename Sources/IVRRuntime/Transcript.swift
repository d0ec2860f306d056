/// The human form of a call record: what `simulate` prints by default and
/// what `test` prints under a failing case.
public enum Transcript {
    public static func render(_ record: CallReport, indent: String = "") -> String {
        var lines: [String] = ["call to \(record.flow) from \(record.caller)"]
        for e in record.events {
            lines.append("  [\(e.node)] " + describe(e.kind))
        }
        var outcome = "outcome: \(record.outcome.rawValue)"
        if let d = record.destination { outcome += " (\(d.kind) \(d.value)\(record.via == .bridge ? ", bridged" : ""))" }
        lines.append(outcome)
        lines.append("visited: " + record.visited.joined(separator: " > "))
        if !record.variables.isEmpty {
            lines.append("variables: " + record.variables.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
        }
        return lines.map { indent + $0 }.joined(separator: "\n") + "\n"
    }

    static func describe(_ kind: CallEvent.Kind) -> String {
        switch kind {
        case .play(let file, let transcript): "plays \(file)" + (transcript.map { ": \"\($0)\"" } ?? "")
        case .say(let text): "says \"\(text)\""
        case .input(let digits, _): digits.isEmpty ? "caller presses only the terminator" : "caller presses \(digits)"
        case .timeout: "no key before the timeout"
        case .invalid(let digits): "invalid input '\(digits)'"
        case .webhook(let url, let status?, nil): "webhook \(url) -> \(status)"
        case .webhook(let url, let status?, let error?): "webhook \(url) -> \(status) failed: \(error); taking on-error"
        case .webhook(let url, nil, let error): "webhook \(url) failed: \(error ?? "no answer"); taking on-error"
        case .transfer(let kind, let value, nil): "transfer to \(kind) \(value)"
        case .transfer(let kind, let value, let b?): "bridge to \(kind) \(value): " + bridge(b)
        case .transferFailed(let kind, let value, .notAllowed, let reason): "transfer to \(kind) \(value) refused: \(reason); taking on-fail"
        case .transferFailed(let kind, let value, let result, let reason):
            "transfer to \(kind) \(value) -> \(result.rawValue)" + (reason == result.rawValue ? "" : " (\(reason))") + "; taking on-fail"
        case .record(let file): "records the caller into \(file)"
        case .waited(let kind, let heard): "waits for the callee's \(kind): " + (heard ? "heard" : "timed out")
        case .hangup: "the flow hangs up"
        case .callerHangup: "the caller hangs up"
        case .error(let message): "error: \(message)"
        }
    }

    /// "rang 4.2 s, answered, talked 95.3 s, callee hung up, recorded to bridge-1.wav".
    static func bridge(_ b: BridgeSummary) -> String {
        var parts = ["rang \(seconds(b.ringSeconds)) s", b.answered ? "answered" : "not answered"]
        if b.answered { parts.append("talked \(seconds(b.talkSeconds)) s") }
        switch b.endedBy {
        case .caller?: parts.append("caller hung up")
        case .callee?: parts.append("callee hung up")
        case .maxDuration?: parts.append("max-duration ended it")
        case .system?: parts.append("ended by the system")
        case nil: break
        }
        if let r = b.recording { parts.append("recorded to \(r)") }
        return parts.joined(separator: ", ")
    }

    private static func seconds(_ s: Double) -> String {
        let tenths = (s * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
