import Foundation
import NIOCore

/// The signalling side of a bridged transfer's B leg (the call ivrc places
/// to the destination; `SIPCallBackend+Bridge` runs the bridge itself).
extension SIPEndpoint {
    /// A new Call-ID of ours.
    func newCallID() -> String { SIPIdentifiers.token(24) + "@" + configuration.advertisedHost }

    /// Places a bridge's B leg to `target`: From `fromUser`, `codec`
    /// offered first, CANCEL after `ringTime` ms; its RTP socket on
    /// `mediaLoop` (the caller's media loop: no thread hop in the relay). No flow runs on it and it
    /// gets no call record. Returns once answered (the leg, its media
    /// sending and receiving) or failed (`CallFailure.status`: the callee's
    /// final status, 408 for no answer). `earlyMedia` is called when an
    /// 18x brings SDP (with the leg's media, which then receives the callee's audio).
    /// `cancelBridgeLeg(callID:)` gives up on it while it rings.
    public func placeBridgeLeg(to target: String, callID: String, fromUser: String, codec: SDPNegotiator.Codec, ringTime: Int,
                               mediaLoop: EventLoop? = nil,
                               earlyMedia: @escaping @Sendable (MediaSession) -> Void) async throws(CallFailure) -> CallLeg {
        let options = OutboundOptions(callID: callID, ringTime: ringTime, firstCodec: codec, bridgeLeg: true, mediaLoop: mediaLoop,
                                      earlyMedia: earlyMedia)
        defer { eventLoop.execute { self.abandonedCallIDs.remove(callID) } }
        return try await placeCall(to: target, flow: 0, fromUser: fromUser, srtp: nil, options: options)
    }

    /// A Call-ID for `placeBridgeLeg`.
    public func bridgeCallID() -> String { newCallID() }

    /// Gives up on a B leg still ringing (the caller hung up): CANCEL, and
    /// `placeBridgeLeg` returns once the 487 comes. A leg already answered
    /// gets BYE; one whose INVITE has not gone yet is never sent.
    public func cancelBridgeLeg(callID: String) {
        eventLoop.execute {
            guard let leg = self.calls[callID] else {
                self.abandonedCallIDs.insert(callID)
                return
            }
            leg.endedHere = true
            if leg.state == .proceeding {
                self.cancelInvite(leg, .hangUp)
            } else {
                self.terminate(leg, sendBye: true)
            }
        }
    }

    /// An 18x with an SDP answer to a B leg's INVITE: its media is set up
    /// to receive (not to send) the callee's early media, once.
    func startEarlyMedia(_ leg: CallLeg, _ response: SIPMessage) {
        guard let status = response.status, (180..<200).contains(status), leg.earlyAgreement == nil,
              !response.body.isEmpty, let early = leg.earlyMedia, let media = leg.media,
              let answer = try? SessionDescription(parsing: response.body),
              case .success(var agreement) = SDPNegotiator.agree(answer: answer, offered: leg.srtpOffer) else { return }
        leg.earlyAgreement = agreement
        agreement.direction = .recvonly
        media.update(agreement)
        early(media)
    }

    /// Whether the caller's INVITE allows REFER: false only when it has
    /// an `Allow` header without REFER (no `Allow` says nothing).
    public func allowsRefer(_ leg: CallLeg) async -> Bool {
        (try? await eventLoop.submit {
            guard let invite = leg.invite else { return true }
            let allowed = invite.headers.values("Allow").flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            return allowed.isEmpty || allowed.contains("REFER")
        }.get()) ?? true
    }

    /// Whether the dialog is over, and whether the other side ended it.
    public func state(of leg: CallLeg) async -> (ended: Bool, byRemote: Bool) {
        (try? await eventLoop.submit { (leg.state == .terminated, leg.remoteHungUp) }.get()) ?? (true, false)
    }
}
