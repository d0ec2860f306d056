import IVRRuntime

/// What places a campaign's calls: SIP in `ivrc campaign`
/// (`SIPCampaignDialer`), anything that can ring a number in tests.
public protocol CampaignDialer: Sendable {
    /// Places one call to `contact` and returns once it has ended: when
    /// it is answered, `answered` is called at once (the journal's
    /// `answered` line), then the flow runs to its end.
    func dial(_ contact: Contact, attempt: Int, callID: String,
              answered: @escaping @Sendable () -> Void) async -> DialOutcome
    /// Ends every call in progress (a second SIGINT or SIGTERM).
    func hangUpAll() async
}

/// How one call went.
public struct DialOutcome: Sendable, Equatable {
    public var result: CallResult
    /// Who answered, for an answered call.
    public var answeredBy: CallPresets.AnsweredBy?
    /// Why (a SIP status and reason, a transport error), for the journal.
    public var detail: String?

    public init(result: CallResult, answeredBy: CallPresets.AnsweredBy? = nil, detail: String? = nil) {
        self.result = result
        self.answeredBy = answeredBy
        self.detail = detail
    }
}
