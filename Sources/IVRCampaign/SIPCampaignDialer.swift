import Foundation
import IVRRuntime
import IVRSIP

/// Places a campaign's calls over SIP: an INVITE to `sip:NUMBER@TRUNK`
/// from the campaign's `IVRServer`; when answered the flow runs with the
/// contact's columns as its `inputs`, and the call's record carries the
/// campaign fields.
public struct SIPCampaignDialer: CampaignDialer {
    public let server: IVRServer
    public let flow: Int
    /// The trunk's `HOST[:PORT]`.
    public let trunk: String
    public let fromUser: String
    /// Milliseconds a callee may ring before CANCEL (`--ring-timeout`).
    public let ringTime: Int
    /// The journal's file name, the records' `campaign`.
    public let campaign: String

    public init(server: IVRServer, flow: Int, trunk: String, fromUser: String, ringTime: Int, campaign: String) {
        self.server = server
        self.flow = flow
        self.trunk = trunk
        self.fromUser = fromUser
        self.ringTime = ringTime
        self.campaign = campaign
    }

    /// The callee's URI: the number at the trunk.
    public func uri(of contact: Contact) -> String { "sip:\(contact.number)@\(trunk)" }

    public func dial(_ contact: Contact, attempt: Int, callID: String,
                     answered: @escaping @Sendable (CallPresets.AnsweredBy) -> Void) async -> DialOutcome {
        // Answering-machine detection is not there yet: every answer is `unknown`.
        let presets = CallPresets(inputs: contact.columns, answeredBy: .unknown)
        let tag = CampaignCall(campaign: campaign, contact: contact.line, attempt: attempt)
        do {
            let leg = try await server.endpoint.placeCampaignCall(to: uri(of: contact), flow: flow, fromUser: fromUser, callID: callID,
                                                                  ringTime: ringTime, presets: presets, campaignCall: tag)
            answered(presets.answeredBy)
            await server.finished(leg)
            return DialOutcome(result: .answered, answeredBy: presets.answeredBy)
        } catch {
            let detail = error.status.map { status in "\(status) \(error.reasonPhrase ?? error.description)" } ?? error.description
            return DialOutcome(result: CallResult.of(status: error.status), detail: detail)
        }
    }

    public func hangUpAll() async { server.endpoint.hangUpAll() }
}
