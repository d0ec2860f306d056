/// How one attempt at a contact ended (the journal's `result`,
/// toolchain.md "Campaigns"). `busy`, `no-answer` and `failed` are
/// retried after `--retry-after` until `--attempts` are used; the others
/// are final at once.
public enum CallResult: String, Sendable, Codable, CaseIterable {
    case answered
    case busy
    case noAnswer = "no-answer"
    case failed
    case declined
    case invalid
    case doNotCall = "do-not-call"
    case outsideWindowExpired = "outside-window-expired"

    public var isRetried: Bool { self == .busy || self == .noAnswer || self == .failed }

    /// The result of a SIP final status (nil: no answer could come: DNS,
    /// transport, media). 486 and 600 are busy; 408 (the ring timeout's
    /// CANCEL, or no answer at all) and 480 no-answer; 603 declined.
    public static func of(status: Int?) -> CallResult {
        switch status {
        case 486, 600: .busy
        case 408, 480, 487: .noAnswer
        case 603: .declined
        default: .failed
        }
    }
}
