/// SRTP of a call's media: keying (and re-keying) the session, protecting
/// what is sent, and the counts of what was dropped (see `MediaSession`).
extension MediaSession {
    /// The suite in use and the received packets dropped so far (over
    /// every re-key); nil when the call is plain RTP. Never a key.
    public struct SRTPStatus: Sendable, Equatable {
        public var suite: SRTPSuite
        public var dropped: SRTPSession.Drops
    }

    /// Keys the session (nil: plain RTP). The same keys again (a re-INVITE
    /// that kept them) leave the contexts, and their replay windows, as
    /// they are.
    func applySRTP(_ keys: SRTPAgreement?) {
        guard keys != srtpAgreement else { return }
        if let old = srtp {
            srtpDroppedBefore.replay += old.dropped.replay
            srtpDroppedBefore.auth += old.dropped.auth
            srtpDroppedBefore.other += old.dropped.other
        }
        srtpAgreement = keys
        srtp = nil
        srtpBroken = false
        guard let keys else { return }
        do {
            srtp = try SRTPSession(suite: keys.suite, sendKey: keys.localKey, receiveKey: keys.remoteKey)
        } catch {
            srtpBroken = true
        }
    }

    /// Protects the packet in `outgoing` in place when the call is SRTP;
    /// false when it could not be.
    func protectOutgoing() -> Bool {
        guard let srtp else { return true }
        outgoing.reserveCapacity(minimumWritableBytes: SRTPSession.maxTrailer)
        let length = outgoing.writerIndex  // the reader index is 0 (cleared)
        guard let protected = outgoing.withVeryUnsafeMutableBytes({ srtp.protect($0, length: length) }) else { return false }
        outgoing.moveWriterIndex(to: protected)
        return true
    }

    public func srtpStatus() async -> SRTPStatus? {
        try? await onLoop { () -> SRTPStatus? in
            guard let keys = self.srtpAgreement else { return nil }
            var dropped = self.srtpDroppedBefore
            if let current = self.srtp {
                dropped.replay += current.dropped.replay
                dropped.auth += current.dropped.auth
                dropped.other += current.dropped.other
            }
            return SRTPStatus(suite: keys.suite, dropped: dropped)
        }
    }
}
