import IVRSyntax

/// What became of a transfer: the words a test case's `transfers:` and
/// `--transfer VALUE=RESULT` script, and the `result` of a failed attempt's
/// `transfer-failed` event. Anything but `answered` takes the transfer's
/// `on-fail`.
public enum TransferOutcome: String, Sendable, CaseIterable {
    case answered, busy, noAnswer = "no-answer", rejected, failed
    /// The transfer's `allow` pattern refused the value: it was never
    /// dialled. Only in events; never scripted.
    case notAllowed = "not-allowed"

    /// The words a script may use, in the order messages list them.
    public static let scriptable: [TransferOutcome] = [.answered, .busy, .noAnswer, .rejected, .failed]

    /// A scripted result word; nil for anything else (see `unknownMessage`).
    public init?(scripted word: String) {
        guard let outcome = TransferOutcome(rawValue: word), Self.scriptable.contains(outcome) else { return nil }
        self = outcome
    }

    /// "unknown transfer result 'bussy'; ..." and the word meant, if one is close.
    public static func unknown(_ word: String) -> (message: String, guess: String?) {
        let words = scriptable.map(\.rawValue)
        return ("unknown transfer result '\(word)'; expected one of \(words.joined(separator: ", "))",
                closestMatch(to: word, in: words))
    }

    /// The result a backend's failure reason stands for. The scripted
    /// backends give the word itself; the SIP backend's reasons start with
    /// the final status of the new call (`486 Busy Here`): 486 and 600 are
    /// busy, 408, 480 and 487 (cancelled at the ring timeout) no answer,
    /// 403 and 603 rejected; any other reason is `failed`.
    public init(reason: String) {
        if let word = TransferOutcome(rawValue: reason) {
            self = word
            return
        }
        let digits = reason.prefix { $0.isASCII && $0.isNumber }
        switch digits.count == 3 ? Int(digits) : nil {
        case 486, 600: self = .busy
        case 408, 480, 487: self = .noAnswer
        case 403, 603: self = .rejected
        default: self = .failed
        }
    }
}
