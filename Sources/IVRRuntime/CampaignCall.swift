/// The campaign fields of one call's record (toolchain.md "Campaigns"):
/// the journal's file name, the contact's CSV line and the attempt.
public struct CampaignCall: Sendable, Equatable {
    public var campaign: String
    public var contact: Int
    public var attempt: Int

    public init(campaign: String, contact: Int, attempt: Int) {
        self.campaign = campaign
        self.contact = contact
        self.attempt = attempt
    }

    /// Writes the fields into `record` (`unknown` for a call nobody answered).
    public func tag(_ record: inout CallRecord, answeredBy: CallPresets.AnsweredBy) {
        record.campaign = campaign
        record.contact = contact
        record.attempt = attempt
        record.answeredBy = answeredBy.rawValue
    }
}
