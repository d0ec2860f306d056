import Foundation
import IVRRuntime
import IVRSIP

/// Places a campaign's calls over SIP: an INVITE to `sip:NUMBER@TRUNK`
/// from the campaign's `IVRServer`; when answered, the callee's first
/// seconds tell a person from a machine (`AnsweringMachineListening`),
/// then the flow runs with the contact's columns as its `inputs` and
/// `answered_by` set, and the call's record carries the campaign fields.
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
                     answered: @escaping @Sendable () -> Void) async -> DialOutcome {
        let presets = CallPresets(inputs: contact.columns, answeredBy: .unknown)
        let tag = CampaignCall(campaign: campaign, contact: contact.line, attempt: attempt)
        do {
            let leg = try await server.endpoint.placeCampaignCall(to: uri(of: contact), flow: flow, fromUser: fromUser, callID: callID,
                                                                  ringTime: ringTime, presets: presets, campaignCall: tag,
                                                                  holdFlow: true)
            // On disk before listening: a crash from here on leaves an answered call, never retried.
            answered()
            var who = CallPresets.AnsweredBy.unknown
            if let media = leg.media { who = await AnsweringMachineListening.classify(media) }
            await server.endpoint.startHeldFlow(leg, answeredBy: who)
            await server.finished(leg)
            return DialOutcome(result: .answered, answeredBy: who)
        } catch {
            let detail = error.status.map { status in "\(status) \(error.reasonPhrase ?? error.description)" } ?? error.description
            return DialOutcome(result: CallResult.of(status: error.status), detail: detail)
        }
    }

    public func hangUpAll() async { server.endpoint.hangUpAll() }
}
